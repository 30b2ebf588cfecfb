"""Idempotency keys: the first answer to each retried API post.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Written by hand, like 0002: a new table only, named constraints after the naming
convention in extensions.py, lengths on every string, no server defaults (the app fills
created_at). The key compares exactly on MySQL/MariaDB too. message_id has no foreign
key on purpose: the stored answer outlives the message.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        # Compared exactly on MySQL/MariaDB too ("abc" and "ABC" are two keys), as in 0004.
        sa.Column(
            "key",
            sa.String(length=128).with_variant(
                mysql.VARCHAR(128, collation="utf8mb4_bin"), "mysql", "mariadb"
            ),
            nullable=False,
        ),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_idempotency_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_keys_user_id_key")),
    )


def downgrade():
    op.drop_table("idempotency_keys")
