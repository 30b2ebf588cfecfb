"""No migration loses a row: every upgrade runs with data already in the tables."""

import datetime
import decimal
import itertools
import shutil

import pytest
import sqlalchemy as sa
from alembic import command
from flask import current_app

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config, code_heads

from .helpers import revisions_oldest_first

_unique = itertools.count(1)


def sample_value(column, connection, row):
    """A value of the column's type; the row-th newest parent row for a foreign key."""
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column
        return connection.scalar(sa.select(target).order_by(target.desc()).offset(row).limit(1))
    if isinstance(column.type, sa.Enum):
        return column.type.enums[0]
    n = next(_unique)
    python_type = column.type.python_type
    # MySQL reflects a boolean as TINYINT(1), which holds no more than 127.
    tiny = type(column.type).__name__ == "TINYINT"
    samples = {
        bool: False,
        int: n % 100 if tiny else n,
        float: n + 0.5,
        decimal.Decimal: decimal.Decimal(n),
        str: f"{n}-{column.name}"[: getattr(column.type, "length", None) or 50],
        datetime.datetime: datetime.datetime(2026, 1, 1) + datetime.timedelta(seconds=n),
        datetime.date: datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        bytes: b"x",
        dict: {},
        list: [],
    }
    return samples[python_type]


def fill_every_table(rows_per_table=3):
    """Insert rows into every table of the schema as it is now, at whatever revision."""
    metadata = sa.MetaData()
    metadata.reflect(db.engine)
    with db.engine.begin() as connection:
        for table in metadata.sorted_tables:  # parents before children
            if table.name == "alembic_version":
                continue
            columns = [c for c in table.columns if not (c.primary_key and c.autoincrement)]
            for row in range(rows_per_table):
                values = {c.name: sample_value(c, connection, row) for c in columns}
                connection.execute(table.insert(), values)


def row_counts():
    metadata = sa.MetaData()
    metadata.reflect(db.engine)
    with db.engine.connect() as connection:
        return {
            name: connection.scalar(sa.select(sa.func.count()).select_from(table))
            for name, table in metadata.tables.items()
            if name != "alembic_version"
        }


def test_every_upgrade_keeps_the_rows_already_there(app):
    config = alembic_config()
    for revision in revisions_oldest_first():
        fill_every_table()
        before = row_counts()
        command.upgrade(config, revision.revision)
        after = row_counts()
        for table, count in before.items():
            if table in after:  # a revision may drop a table on purpose
                assert after[table] >= count, f"{revision.revision} lost rows of {table}"


REBUILD_REVISION = """
from alembic import op

revision = "rebuild_every_table"
down_revision = {heads!r}


def upgrade():
    for table in {tables!r}:
        with op.batch_alter_table(table, recreate="always"):
            pass


def downgrade():
    pass
"""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_batch_table_rebuilds_keep_child_rows(app, tmp_path):
    """SQLite changes most columns by rebuilding the table. Rebuilding a parent table
    with foreign keys on fires ON DELETE CASCADE and empties its children, unless
    env.py turns foreign keys off for the migration (it does)."""
    command.upgrade(alembic_config(), "heads")
    fill_every_table()
    before = row_counts()
    assert all(before.values())

    directory = tmp_path / "migrations"
    shutil.copytree(current_app.extensions["migrate"].directory, directory)
    tables = [t.name for t in db.metadata.sorted_tables]
    heads = tuple(code_heads())
    revision = REBUILD_REVISION.format(heads=heads, tables=tables)
    (directory / "versions" / "rebuild_every_table.py").write_text(revision)
    command.upgrade(current_app.extensions["migrate"].migrate.get_config(directory), "heads")

    assert row_counts() == before
