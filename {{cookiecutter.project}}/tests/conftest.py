"""Fixtures for the app tests: a fresh in-memory database per test.

`app` does not keep an application context pushed while the test runs: the test client
would share it (and with it `g`, where Flask-Login caches the current user) between
requests. Wrap direct database work in `with app.app_context():`.
"""

import pytest
from jinja2 import FileSystemBytecodeCache

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db

from .helpers import PASSWORD, SMTPServer, add_user, create_tables, log_in
from .migrations.helpers import server_url_or_skip, throwaway_database


@pytest.fixture(scope="session")
def template_cache(tmp_path_factory):
    # Compiling the templates (Bootstrap-Flask's form macros above all) again for each
    # test's new app would take most of the suite's time; share the compiled code.
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("templates")))


@pytest.fixture
def make_app(template_cache):
    """make_app(config_name="testing", **settings) -> an app with empty tables and the roles."""
    apps = []

    def make_app(config_name="testing", **settings):
        app = create_app(config_name, **settings)
        app.jinja_env.bytecode_cache = template_cache
        create_tables(app)
        apps.append(app)
        return app

    yield make_app
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The app in testing configuration, with empty tables and the roles."""
    return make_app()


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def database_url(request, tmp_path):
    """An empty database on each backend in turn (PostgreSQL and MySQL: a throwaway one on
    the servers TEST_POSTGRESQL_URL / TEST_MYSQL_URL name, see tests/migrations/)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with throwaway_database(server_url_or_skip(request.param)) as url:
        yield url


@pytest.fixture
def any_app(make_app, database_url):
    """The app with empty tables and the roles, on each database in turn."""
    return make_app(SQLALCHEMY_DATABASE_URI=database_url)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """make_user("alice", role="Moderator") -> a saved User (see helpers.add_user)."""
    return lambda *args, **kwargs: add_user(app, *args, **kwargs)


@pytest.fixture
def login():
    """login(client, user) logs `client` in as `user` (made with the default password)."""

    def login(client, user, password=PASSWORD):
        response = log_in(client, user.email, password)
        assert response.status_code == 302, "login failed"
        return response

    return login


@pytest.fixture
def smtp():
    """A real SMTP server on a free loopback port (aiosmtpd); its inbox has what arrives."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()
