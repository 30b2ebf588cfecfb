"""`flask setup` checks and explains; it never writes or applies an unreviewed migration.

Each case stops setup with exit code 1, says what is wrong and what to run, and leaves
migrations/versions as it was.
"""

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_review import REVIEW_MARKER
from {{ cookiecutter.package }}.migration_state import alembic_config

NEW_REVISION = '''"""{message}"""

revision = "{revision}"
down_revision = {down_revision!r}


def upgrade():
    pass


def downgrade():
    pass
'''


@pytest.fixture
def app(tmp_path):
    """An app on an SQLite file, with its own copy of migrations/ to change."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'setup.db'}")
    migrations = tmp_path / "migrations"
    shutil.copytree(app.extensions["migrate"].directory, migrations)
    app.extensions["migrate"].directory = str(migrations)
    yield app
    with app.app_context():
        db.engine.dispose()


def setup(app):
    return app.test_cli_runner().invoke(args=["setup"])


def versions_folder(app):
    return Path(app.extensions["migrate"].directory) / "versions"


def head(app):
    # Read afresh: migration_state.code_heads() keeps what it read for the app's lifetime.
    with app.app_context():
        return ScriptDirectory.from_config(alembic_config()).get_current_head()


def add_revision(app, revision, down_revision=None, review=""):
    """A revision file that does nothing, after `down_revision` (default: the head)."""
    down_revision = down_revision or head(app)
    text = NEW_REVISION.format(revision=revision, message=revision, down_revision=down_revision)
    (versions_folder(app) / f"{revision}.py").write_text(review + text, encoding="utf-8")


def versions(app):
    return sorted(path.name for path in versions_folder(app).iterdir())


def test_models_that_differ_from_the_migrations_stop_setup(app):
    assert setup(app).exit_code == 0
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE users ADD COLUMN nickname VARCHAR(40)")
    before = versions(app)

    result = setup(app)

    assert result.exit_code == 1
    assert "check     FAILED  the models differ from the migrations:" in result.output
    assert "remove column users.nickname" in result.output
    assert 'flask db migrate -m "describe the change"' in result.output
    assert "flask db upgrade" in result.output
    assert versions(app) == before  # nothing written


def test_several_heads_stop_setup_before_the_upgrade(app):
    first_head = head(app)
    add_revision(app, "branch_a", first_head)
    add_revision(app, "branch_b", first_head)

    result = setup(app)

    assert result.exit_code == 1
    assert "the migrations have 2 heads (branch_a, branch_b)" in result.output
    assert 'flask db merge heads -m "merge"' in result.output
    with app.app_context():
        assert "alembic_version" not in sa.inspect(db.engine).get_table_names()


def test_a_revision_with_an_open_review_block_is_not_applied(app):
    assert setup(app).exit_code == 0
    block = f"{REVIEW_MARKER} (delete this block once you have):\n# - drops column x.y\n"
    add_revision(app, "needs_review", review=block)

    result = setup(app)

    assert result.exit_code == 1
    assert (
        "REVIEW block from `flask db migrate` is still at the top of needs_review.py"
        in result.output
    )
    with app.app_context(), db.engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) != (
            "needs_review"
        )


def test_missing_migrations_are_not_recreated(app):
    shutil.rmtree(app.extensions["migrate"].directory)
    result = setup(app)
    assert result.exit_code == 1
    assert "restore it from version control" in result.output
    assert not Path(app.extensions["migrate"].directory).exists()
