"""Edited messages: messages.edited_at.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

Written by hand: nullable (None: never edited), no server default; batch mode for SQLite,
whose copy on downgrade keeps 0004's AUTOINCREMENT.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("edited_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("messages", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("edited_at")
