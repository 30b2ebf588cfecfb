"""Accounts by email: the mail outbox, and when each user's email was confirmed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Written by hand, like 0001-0003: names after the naming convention in extensions.py, a
length on every string.

- mail_outbox, a new table. Its rows are transient: a downgrade drops mail not yet sent
  (`flask mail send` first to keep it).
- users.email_confirmed_at, added nullable (a NOT NULL column fails on a filled table on
  SQLite and PostgreSQL, and MariaDB fills it silently). Accounts made before this
  revision count as confirmed, since their creation: nobody asked them to confirm, and
  EMAIL_CONFIRMATION=required must not stop them from posting. Batch mode on SQLite
  recreates the table; the other databases alter it in place.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
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

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email_confirmed_at", sa.DateTime(), nullable=True))
    users = sa.table("users", sa.column("created_at"), sa.column("email_confirmed_at"))
    op.execute(users.update().values(email_confirmed_at=users.c.created_at))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email_confirmed_at")
    # Dropping the table drops its indexes and constraints with it.
    op.drop_table("mail_outbox")
