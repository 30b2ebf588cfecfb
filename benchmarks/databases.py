"""A generated project and seeded databases for it, for throughput.py and profile_pages.py.

Each database is made the way an operator makes one: `flask db upgrade` with DATABASE_URL
set, then `flask seed --demo N`. SQLite databases are files in the project's instance/
folder; PostgreSQL ones are throwaway databases on the server named by TEST_POSTGRESQL_URL,
dropped when the `with` block ends.
"""

import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from urllib.parse import quote

import generation
import sqlalchemy as sa

DATABASES = ("sqlite", "postgresql")
POSTGRESQL_ADMIN = os.environ.get(
    "TEST_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DEEP_FRACTION = 0.9  # the deep page starts 90% of the way into the history


def generate_project(output_dir, database):
    """The project for `database`, every other answer the default; no setup (the hook
    still writes .env with a SECRET_KEY): each database here is migrated and seeded."""
    command = generation.cookiecutter(output_dir, hooks=True)
    command += [f"database={database}", "run_setup=false"]
    subprocess.run(command, check=True, capture_output=True)
    return output_dir / generation.PROJECT


def flask(project, url, *args):
    env = os.environ | {"DATABASE_URL": url}
    command = [sys.executable, "-m", "flask", *args]
    return subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)


@contextmanager
def seeded(project, database, name, messages):
    """Yield the URL of a new database called `name` (made unique on a server), migrated
    and holding `messages` demo messages."""
    if database == "sqlite":
        (project / "instance").mkdir(exist_ok=True)
        url = f"sqlite:///{project / 'instance' / name}.db"
        fill(project, url, messages)
        yield url
        return
    admin = sa.make_url(POSTGRESQL_ADMIN)
    name = f"benchmark_{name}_{secrets.token_hex(4)}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        url = admin.set(database=name).render_as_string(hide_password=False)
        fill(project, url, messages)
        # Fresh bulk-loaded tables: give the planner its statistics and the visibility map
        # now, as autovacuum would a little later on a live server.
        with sa.create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        yield url
    finally:
        with engine.connect() as connection:  # FORCE: servers may still hold connections
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        engine.dispose()


def fill(project, url, messages):
    flask(project, url, "db", "upgrade")
    flask(project, url, "seed", "--demo", str(messages))


def create_user(project, url):
    """A new account with a known password, made with `flask users create`: (email, password)."""
    email, password = "benchmark@example.com", secrets.token_urlsafe(18)
    flask(project, url, "users", "create", "benchmark", email, "--password", password)
    return email, password


def deep_cursor(url, messages):
    """The board's ?before= cursor for the message DEEP_FRACTION into its history (the board
    lists messages that are not replies, newest first, by created_at then id)."""
    query = sa.text(
        "SELECT created_at, id FROM messages WHERE parent_id IS NULL"
        " ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET :offset"
    ).columns(created_at=sa.DateTime, id=sa.Integer)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        offset = {"offset": int(messages * DEEP_FRACTION)}
        created_at, id_ = connection.execute(query, offset).one()
    engine.dispose()
    return quote(f"{created_at.isoformat()}_{id_}")
