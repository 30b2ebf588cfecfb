"""Revision 0011 on every database: replies are deleted with their message by the
database itself (ON DELETE CASCADE), and the board's index is there."""

import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config

from .test_data import fill_every_table

messages = sa.table("messages", sa.column("id"), sa.column("body"), sa.column("parent_id"))


def test_replies_go_with_their_message(app):
    config = alembic_config()
    command.upgrade(config, "0011")
    fill_every_table()  # three messages on the board (the users and roles they need)
    with db.engine.begin() as connection:
        first, second, third = connection.scalars(sa.select(messages.c.id).order_by("id"))
        connection.execute(messages.update().where(messages.c.id != first).values(parent_id=first))
    with db.engine.begin() as connection:
        connection.execute(messages.delete().where(messages.c.id == first))
        assert connection.scalar(sa.select(sa.func.count()).select_from(messages)) == 0

    with db.engine.connect() as connection:
        indexes = {index["name"] for index in sa.inspect(connection).get_indexes("messages")}
    assert "ix_messages_parent_id_created_at_id" in indexes
