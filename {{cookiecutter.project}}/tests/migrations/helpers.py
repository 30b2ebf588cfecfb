"""Helpers shared by the migration tests."""

import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from {{ cookiecutter.package }}.extensions import db

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


def alembic_config():
    """The Alembic configuration `flask db ...` uses; errors raise, unlike in flask_migrate."""
    return current_app.extensions["migrate"].migrate.get_config()


def revisions_oldest_first():
    return list(reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions())))


def table_names():
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def script_heads():
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions():
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())
