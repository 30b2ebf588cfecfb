"""Messages in Markdown: messages.body_html.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Written by hand: the column is nullable (a NOT NULL column fails on a filled table on
SQLite and PostgreSQL, and MariaDB fills it silently); batch mode for SQLite.
body_html is the sanitized HTML of body, written at save time (rendering.py); the
existing messages are rendered here, with the app's own renderer, so the board shows
them as it shows new ones (a later change to the renderer reaches old rows only in a
revision of its own). A downgrade drops the column; the bodies stay.
"""

import sqlalchemy as sa
from alembic import op

from {{ cookiecutter.package }}.rendering import render_markdown

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("body_html", sa.Text(), nullable=True))
    if op.get_context().as_sql:
        # `flask db upgrade --sql` writes SQL without reading rows: nothing to render.
        # Apply such a script to an empty database only, or existing messages stay blank.
        return
    messages = sa.table("messages", sa.column("id"), sa.column("body"), sa.column("body_html"))
    connection = op.get_bind()
    for id_, body in connection.execute(sa.select(messages.c.id, messages.c.body)).all():
        connection.execute(
            messages.update().where(messages.c.id == id_).values(body_html=render_markdown(body))
        )


def downgrade():
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("body_html")
