"""Revision 0008 on every database: users keep their rows; the language comes and goes."""

import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config

from .test_data import fill_every_table

users = sa.table("users", sa.column("id"), sa.column("email"))
TABLE_SQL = sa.text("SELECT sql FROM sqlite_master WHERE name = 'users'")


def test_users_get_no_language_and_downgrade_keeps_them(app):
    config = alembic_config()
    command.upgrade(config, "0007")
    fill_every_table()
    with db.engine.connect() as connection:
        before = connection.execute(sa.select(users).order_by(users.c.id)).all()
    command.upgrade(config, "0008")
    with db.engine.connect() as connection:
        languages = connection.scalars(sa.text("SELECT language FROM users")).all()
    assert before and languages == [None] * len(before)

    command.downgrade(config, "0007")
    with db.engine.connect() as connection:
        assert connection.execute(sa.select(users).order_by(users.c.id)).all() == before
        columns = {column["name"] for column in sa.inspect(connection).get_columns("users")}
        if connection.dialect.name == "sqlite":  # the copy keeps 0004's AUTOINCREMENT
            assert "AUTOINCREMENT" in connection.scalar(TABLE_SQL)
    assert "language" not in columns
