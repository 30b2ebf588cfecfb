"""Revisions that add one nullable column, on every database: existing rows get None, and
a downgrade drops the column and keeps every row (SQLite's table copy its AUTOINCREMENT)."""

import pytest
import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config

from .test_data import fill_every_table

# (revision, its parent, the table, the new column)
NEW_COLUMNS = [
    ("0008", "0007", "users", "language"),
    ("0009", "0008", "messages", "edited_at"),
    ("0010", "0009", "users", "about"),
    ("0011", "0010", "messages", "parent_id"),
]


@pytest.mark.parametrize(("revision", "parent", "table", "column"), NEW_COLUMNS)
def test_rows_get_none_and_downgrade_keeps_them(app, revision, parent, table, column):
    config = alembic_config()
    command.upgrade(config, parent)
    fill_every_table()
    rows = sa.table(table, sa.column("id"))
    with db.engine.connect() as connection:
        before = connection.scalars(sa.select(rows.c.id).order_by(rows.c.id)).all()
    command.upgrade(config, revision)
    with db.engine.connect() as connection:
        values = connection.scalars(sa.select(sa.column(column)).select_from(rows)).all()
    assert before and values == [None] * len(before)

    command.downgrade(config, parent)
    with db.engine.connect() as connection:
        assert connection.scalars(sa.select(rows.c.id).order_by(rows.c.id)).all() == before
        columns = {found["name"] for found in sa.inspect(connection).get_columns(table)}
        if connection.dialect.name == "sqlite":
            sql = sa.text("SELECT sql FROM sqlite_master WHERE name = :table")
            assert "AUTOINCREMENT" in connection.scalar(sql, {"table": table})
    assert column not in columns
