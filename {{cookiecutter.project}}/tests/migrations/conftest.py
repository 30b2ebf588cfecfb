"""Fixtures for the migration tests: a throwaway database per test, on each backend.

SQLite always. PostgreSQL and MySQL when TEST_POSTGRESQL_URL / TEST_MYSQL_URL name an
account that may create databases, for example
    TEST_POSTGRESQL_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    TEST_MYSQL_URL=mysql+pymysql://root@127.0.0.1:3306/?charset=utf8mb4
Without them those tests skip, except in CI (CI=true), where a missing server is an error.

These tests walk whatever is in migrations/versions, so they check your own revisions too.
"""

import pytest

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db


@pytest.fixture
def app(database_url):
    """The app bound to an empty database (tests/conftest.py's database_url: each backend
    in turn), with an app context pushed."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
