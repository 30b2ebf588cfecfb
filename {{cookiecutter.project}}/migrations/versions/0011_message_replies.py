"""Replies: messages.parent_id.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Written by hand: nullable (None: a message on the board, as every existing one is), a
foreign key to messages.id with ON DELETE CASCADE (a message's replies go with it), and
the (parent_id, created_at, id) index the board and each message's replies are paged
by. Batch mode for SQLite, which cannot add a foreign key to a table in place; its copy
keeps 0004's AUTOINCREMENT both ways. A downgrade drops the column: replies become
messages on the board, and no row is lost.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("messages", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_messages_parent_id_messages"),
            "messages",
            ["parent_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(
            "ix_messages_parent_id_created_at_id", ["parent_id", "created_at", "id"]
        )


def downgrade():
    with op.batch_alter_table("messages", table_kwargs={"sqlite_autoincrement": True}) as batch:
        # The key first: MySQL refuses to drop an index a foreign key uses.
        batch.drop_constraint("fk_messages_parent_id_messages", type_="foreignkey")
        batch.drop_index("ix_messages_parent_id_created_at_id")
        batch.drop_column("parent_id")
