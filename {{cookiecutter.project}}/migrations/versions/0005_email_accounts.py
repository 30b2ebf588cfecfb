"""The mail outbox: mail waiting to be sent (password reset links).

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01

Written by hand, like 0001-0003: names after the naming convention in extensions.py, a
length on every string. A new table only, so no existing rows are touched and it upgrades
and downgrades the same on SQLite, PostgreSQL and MariaDB. Its rows are transient: a
downgrade drops mail not yet sent (`flask mail send` first to keep it).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=191), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("site_url", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mail_outbox_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index(op.f("ix_mail_outbox_user_id"), "mail_outbox", ["user_id"], unique=False)
    op.create_index(
        op.f("ix_mail_outbox_next_attempt_at"), "mail_outbox", ["next_attempt_at"], unique=False
    )


def downgrade():
    # Dropping the table drops its indexes and constraints with it.
    op.drop_table("mail_outbox")
