"""Profiles: users.about.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Written by hand: nullable (None: nothing written yet), a length on the string (MySQL
needs one), no server default; batch mode for SQLite, whose copy on downgrade keeps
0004's AUTOINCREMENT.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("about", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("users", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("about")
