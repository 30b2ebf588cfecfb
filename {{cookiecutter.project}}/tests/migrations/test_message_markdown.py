"""Revision 0007 on every database: existing messages get their rendered HTML."""

import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config
from {{ cookiecutter.package }}.rendering import render_markdown

from .test_data import fill_every_table

messages = sa.table("messages", sa.column("body"), sa.column("body_html"))


def test_existing_messages_are_rendered_and_downgrade_keeps_them(app):
    config = alembic_config()
    command.upgrade(config, "0006")
    fill_every_table()
    with db.engine.begin() as connection:
        connection.execute(messages.update().values(body="**bold** <script>x</script>"))
    command.upgrade(config, "0007")
    with db.engine.connect() as connection:
        pairs = connection.execute(sa.select(messages.c.body, messages.c.body_html)).all()
    assert len(pairs) == 3
    assert all(html == render_markdown(body) for body, html in pairs)
    assert "<strong>bold</strong>" in pairs[0][1] and "<script>" not in pairs[0][1]

    command.downgrade(config, "0006")  # the columns go, the bodies stay
    with db.engine.connect() as connection:
        bodies = connection.scalars(sa.select(sa.column("body")).select_from(messages)).all()
    assert bodies == ["**bold** <script>x</script>"] * 3
