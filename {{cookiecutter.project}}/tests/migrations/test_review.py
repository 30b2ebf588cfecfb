"""`flask db migrate` reviews what it writes (migration_review.py, called by env.py)."""

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.operations import ops

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_review import REVIEW_MARKER, review, ruff
from {{ cookiecutter.package }}.migration_state import alembic_config

PROJECT = Path(__file__).resolve().parents[2]


def warnings_for(*upgrade, downgrade=()):
    return review(ops.UpgradeOps(list(upgrade)), ops.DowngradeOps(list(downgrade)))


def test_a_dropped_column_asks_whether_it_is_a_rename():
    (warning,) = warnings_for(
        ops.AddColumnOp("users", sa.Column("full_name", sa.String(64))),
        ops.DropColumnOp("users", "name"),
    )
    assert "drops column users.name" in warning
    assert 'op.alter_column("users", "name", new_column_name="full_name")' in warning


def test_a_dropped_table_asks_whether_it_is_a_rename():
    (warning,) = warnings_for(ops.DropTableOp("likes"))
    assert 'op.rename_table("likes", "...")' in warning


@pytest.mark.parametrize(
    ("column", "warned"),
    [
        (sa.Column("bio", sa.String(64), nullable=False), True),
        (sa.Column("bio", sa.String(64), nullable=False, server_default=""), False),
        (sa.Column("bio", sa.String(64), nullable=True), False),
    ],
)
def test_a_not_null_column_without_a_server_default(column, warned):
    warnings = warnings_for(ops.AddColumnOp("users", column))
    assert bool(warnings) is warned
    assert all("NOT NULL column users.bio without a server default" in w for w in warnings)


def test_a_new_table_has_no_rows_to_warn_about():
    table = sa.Table("likes", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
    column = sa.Column("note", sa.String(10), nullable=False)
    assert (
        warnings_for(ops.CreateTableOp.from_table(table), ops.AddColumnOp("likes", column)) == []
    )


@pytest.mark.parametrize(
    ("old", "new", "warned"),
    [
        (sa.String(100), sa.String(50), True),
        (sa.Text(), sa.String(50), True),
        (sa.String(50), sa.Integer(), True),
        (sa.BigInteger(), sa.Integer(), True),
        (sa.String(50), sa.String(100), False),
        (sa.String(50), sa.Text(), False),
        (sa.Integer(), sa.BigInteger(), False),
    ],
)
def test_a_narrowed_type(old, new, warned):
    alter = ops.AlterColumnOp("users", "email", existing_type=old, modify_type=new)
    assert bool(warnings_for(alter)) is warned


def test_a_unique_constraint_on_a_table_with_rows():
    (warning,) = warnings_for(ops.CreateUniqueConstraintOp("uq_users_bio", "users", ["bio"]))
    assert "adds a unique constraint on users (bio)" in warning


def test_types_reflected_from_one_database_become_generic():
    alter = ops.AlterColumnOp(
        "users", "created_at", existing_type=sa.DATETIME(), modify_type=sa.VARCHAR(20)
    )
    added = ops.AddColumnOp("users", sa.Column("seen", sa.TIMESTAMP()))
    warnings_for(alter, added)
    assert type(alter.existing_type) is sa.DateTime
    assert type(alter.modify_type) is sa.String and alter.modify_type.length == 20
    assert type(added.column.type) is sa.DateTime


def test_a_dropped_table_takes_its_indexes_along():
    """MySQL refuses to drop an index a foreign key uses (1553), and needs no separate drop."""
    downgrade = [
        ops.ModifyTableOps("likes", [ops.DropIndexOp("ix_likes_user_id", "likes")]),
        ops.DropIndexOp("ix_likes_message_id", "likes"),
        ops.DropTableOp("likes"),
        ops.DropIndexOp("ix_users_bio", "users"),
    ]
    container = ops.DowngradeOps(downgrade)
    review(ops.UpgradeOps([]), container)
    assert [(type(op).__name__, op.table_name) for op in container.ops] == [
        ("DropTableOp", "likes"),
        ("DropIndexOp", "users"),
    ]


@pytest.fixture
def own_migrations(app, tmp_path):
    """A copy of migrations/ for `flask db migrate` to write into."""
    directory = tmp_path / "migrations"
    shutil.copytree(app.extensions["migrate"].directory, directory)
    app.extensions["migrate"].directory = str(directory)
    return directory / "versions"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_migrate_writes_the_warnings_on_top_of_a_portable_lint_clean_file(
    app, own_migrations, caplog
):
    command.upgrade(alembic_config(), "heads")
    with db.engine.begin() as connection:  # as if a model lost this column
        connection.exec_driver_sql("ALTER TABLE users ADD COLUMN seen_at DATETIME")
    before = set(own_migrations.iterdir())

    with caplog.at_level(logging.WARNING, logger="alembic.env"):
        command.revision(alembic_config(autogenerate=True), "drop seen_at", autogenerate=True)

    (path,) = set(own_migrations.iterdir()) - before
    text = path.read_text()
    assert text.startswith(REVIEW_MARKER)
    assert "# - drops column users.seen_at: if it is a rename" in text
    assert "REVIEW: drops column users.seen_at" in caplog.text
    assert "sa.DateTime()" in text and "DATETIME" not in text  # PostgreSQL has no DATETIME
    ruff_check = [sys.executable, "-m", "ruff", "check", "--no-cache", str(path)]
    assert subprocess.run(ruff_check, capture_output=True).returncode == 0


def test_without_ruff_the_revision_is_kept_with_a_note(tmp_path, monkeypatch, caplog):
    revision = tmp_path / "revision.py"
    revision.write_text("x  =  1\n")
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with caplog.at_level(logging.WARNING, logger="alembic.env"):
        ruff(str(revision), {})
    assert revision.read_text() == "x  =  1\n"
    assert "ruff is not installed" in caplog.text


def test_the_post_write_hook_formats_the_revision(tmp_path):
    shutil.copy(PROJECT / "pyproject.toml", tmp_path)  # ruff reads the project's rules
    revision = tmp_path / "revision.py"
    revision.write_text("from alembic import op\nimport sqlalchemy as sa\nx  =  (sa, op)\n")
    ruff(str(revision), {})
    assert revision.read_text() == (
        "import sqlalchemy as sa\nfrom alembic import op\n\nx = (sa, op)\n"
    )
