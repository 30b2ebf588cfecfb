"""The page cache's board version: board_version, one row.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

Written by hand: a table of one row (id 1) whose number goes up with every change the
board's pages show (page_cache.py); the row is inserted here, as reference data, so the
app never has to create it. A downgrade drops the table: nothing else refers to it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    board_version = op.create_table(
        "board_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_version")),
    )
    op.bulk_insert(board_version, [{"id": 1, "version": 0}])


def downgrade():
    op.drop_table("board_version")
