"""Each account's own language: users.language.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Written by hand: nullable (no choice yet: the browser's Accept-Language decides, see
i18n.py), no server default; batch mode for SQLite. A downgrade drops the column: the
footer's cookie still remembers the choice on each browser.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade():
    # SQLite drops a column by copying the table: keep its AUTOINCREMENT (0004) in the copy.
    with op.batch_alter_table("users", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("language")
