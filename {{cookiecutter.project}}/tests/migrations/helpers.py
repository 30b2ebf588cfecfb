"""Helpers shared by the migration tests (migration state itself: migration_state.py)."""

import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config

SERVER_VARIABLES = {"postgresql": "TEST_POSTGRESQL_URL", "mysql": "TEST_MYSQL_URL"}


def server_url_or_skip(backend):
    variable = SERVER_VARIABLES[backend]
    url = os.environ.get(variable)
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"{variable} must be set in CI: the {backend} tests may not skip there")
    pytest.skip(f"set {variable} to run the {backend} migration tests")


@contextmanager
def throwaway_database(server_url):
    """Create a database with a random name on the server, yield its URL, drop it."""
    server_url = sa.make_url(server_url)
    name = f"test_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        force = " WITH (FORCE)" if server.dialect.name == "postgresql" else ""
        with server.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE {name}{force}")
        server.dispose()


def revisions_oldest_first():
    return list(reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions())))


def table_names():
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
