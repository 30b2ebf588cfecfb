"""Account hardening: a session generation per user, exact and case-insensitively unique
usernames and emails, and ids SQLite never reuses.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

- users.session_generation: part of every session id (User.get_id). "Log out of every
  device" adds one. Existing rows start at 0 (a server default, so the NOT NULL column
  can be added to a table with rows on every database). The session id's formula
  changes with it: everyone is logged out once, at this upgrade.
- users.username_key: the username casefolded, unique, so that the database itself
  refuses "Alice" next to "alice" on every backend. Filled from lower(username)
  (usernames are ASCII). Names that already collide keep working: each later one gets
  a key ending in "~<id>", which no typed name can match (the pattern has no "~").
- MySQL/MariaDB only: email, username and username_key compare with utf8mb4_bin, exact
  after the app's own normalisation, as on SQLite and PostgreSQL. The default
  utf8mb4_unicode_ci ignores accents: alicë@example.com logged in as alice@example.com.
- SQLite only: users, messages and api_tokens get AUTOINCREMENT. Without it SQLite gives
  the id of the last deleted row to the next insert, so a link to a deleted message
  would show a new one. PostgreSQL and MySQL never reuse ids: nothing to do there.
  Recreating a table copies its rows with their ids, and SQLite's sequence starts after
  the largest. (env.py turns SQLite's foreign keys off around the copy: recreating
  users must not cascade to its messages.)
"""

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import mysql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEVER_REUSED = ("users", "messages", "api_tokens")
EXACT_COLUMNS = {"email": 191, "username": 64, "username_key": 64}

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("username", sa.String),
    sa.column("username_key", sa.String),
)


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("username_key", sa.String(64), nullable=True))
    fill_username_keys()
    with op.batch_alter_table("users") as batch:
        batch.alter_column("username_key", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_users_username_key", ["username_key"])
    if op.get_bind().dialect.name == "mysql":
        for column, length in EXACT_COLUMNS.items():
            op.alter_column(
                "users",
                column,
                type_=mysql.VARCHAR(length, collation="utf8mb4_bin"),
                existing_nullable=False,
            )
    if op.get_bind().dialect.name == "sqlite":
        for table in NEVER_REUSED:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass


def fill_username_keys():
    if context.is_offline_mode():  # `flask db upgrade --sql`: no rows to look at
        op.execute(users.update().values(username_key=sa.func.lower(users.c.username)))
        return
    connection = op.get_bind()
    seen = set()
    for user_id, username in connection.execute(
        sa.select(users.c.id, users.c.username).order_by(users.c.id)
    ):
        key = username.lower()
        key = key if key not in seen else f"{key[:50]}~{user_id}"
        seen.add(key)
        connection.execute(users.update().where(users.c.id == user_id).values(username_key=key))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in NEVER_REUSED:
            # Reflection does not read AUTOINCREMENT back: the copy is made without it.
            with op.batch_alter_table(table, recreate="always"):
                pass
    if op.get_bind().dialect.name == "mysql":
        for column in ("email", "username"):  # back to the table's default collation
            op.alter_column(
                "users", column, type_=sa.String(EXACT_COLUMNS[column]), existing_nullable=False
            )
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_username_key", type_="unique")
        batch.drop_column("username_key")
        batch.drop_column("session_generation")
