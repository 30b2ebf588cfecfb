"""Account hardening: a session generation per user, and ids SQLite never reuses.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

- users.session_generation: part of every session id (User.get_id). "Log out of every
  device" adds one. Existing rows start at 0 (a server default, so the NOT NULL column
  can be added to a table with rows on every database). The session id's formula
  changes with it: everyone is logged out once, at this upgrade.
- SQLite only: users, messages and api_tokens get AUTOINCREMENT. Without it SQLite gives
  the id of the last deleted row to the next insert, so a link to a deleted message
  would show a new one. PostgreSQL and MySQL never reuse ids: nothing to do there.
  Recreating a table copies its rows with their ids, and SQLite's sequence starts after
  the largest. (env.py turns SQLite's foreign keys off around the copy: recreating
  users must not cascade to its messages.)
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEVER_REUSED = ("users", "messages", "api_tokens")


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )
    if op.get_bind().dialect.name == "sqlite":
        for table in NEVER_REUSED:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in NEVER_REUSED:
            # Reflection does not read AUTOINCREMENT back: the copy is made without it.
            with op.batch_alter_table(table, recreate="always"):
                pass
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
