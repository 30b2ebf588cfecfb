"""What migrations/env.py promises beyond running revisions."""

import logging
import shutil
import warnings

import pytest
import sqlalchemy as sa
from alembic import command
from flask import current_app

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import (
    alembic_config,
    code_heads,
    database_revisions,
)

FAILING_REVISIONS = {
    "first_ok.py": """
import sqlalchemy as sa
from alembic import op

revision = "first_ok"
down_revision = {heads!r}


def upgrade():
    op.create_table("first_ok", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("first_ok")
""",
    "second_fails.py": """
from alembic import op

revision = "second_fails"
down_revision = "first_ok"


def upgrade():
    op.execute("INSERT INTO no_such_table (id) VALUES (1)")


def downgrade():
    pass
""",
}


def test_upgrading_emits_no_deprecation_warning(app):
    """Flask-Migrate's stock env.py calls db.get_engine(), deprecated in Flask-SQLAlchemy 3.1."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        command.upgrade(alembic_config(), "heads")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_migrating_keeps_the_apps_loggers_enabled(app, monkeypatch):
    """alembic.ini's logging config would disable every logger it does not name."""
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as under `flask db upgrade`
    monkeypatch.setattr(logging.getLogger(), "level", logging.WARNING)
    app_logger = logging.getLogger(current_app.import_name)
    command.upgrade(alembic_config(), "heads")
    assert not app_logger.disabled


def test_a_failing_revision_leaves_the_ones_before_it_applied(app, tmp_path):
    """One transaction per revision: a failure undoes only the failing revision."""
    command.upgrade(alembic_config(), "heads")
    heads = tuple(database_revisions())
    directory = tmp_path / "migrations"
    shutil.copytree(current_app.extensions["migrate"].directory, directory)
    for name, source in FAILING_REVISIONS.items():
        (directory / "versions" / name).write_text(source.format(heads=heads))
    config = current_app.extensions["migrate"].migrate.get_config(directory)

    with pytest.raises(Exception, match="no_such_table"):
        command.upgrade(config, "heads")

    assert database_revisions() == {"first_ok"}
    command.downgrade(config, heads[0])


def test_an_engine_passed_by_the_caller_is_used(app, database_url):
    """pytest-alembic and scripts pass an Engine in config.attributes["connection"]."""
    engine = sa.create_engine(database_url)
    config = alembic_config()
    config.attributes["connection"] = engine
    try:
        command.upgrade(config, "heads")
    finally:
        engine.dispose()
    assert database_revisions() == code_heads()


def test_a_callers_transaction_is_never_committed(app, database_url):
    """Alembic's cookbook runs migrations inside the caller's `engine.begin()`: what the
    caller rolls back is gone, and env.py leaves the transaction open for it."""
    engine = sa.create_engine(database_url)
    config = alembic_config()
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
            assert transaction.is_active, "env.py ended the caller's transaction"
            transaction.rollback()
    finally:
        engine.dispose()
    if db.engine.dialect.name != "mysql":  # MySQL commits each DDL statement by itself
        assert database_revisions() == set()
