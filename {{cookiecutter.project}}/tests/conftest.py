"""Fixtures for the app tests: a fresh in-memory database per test.

`app` does not keep an application context pushed while the test runs: the test client
would share it (and with it `g`, where Flask-Login caches the current user) between
requests. Wrap direct database work in `with app.app_context():`.
"""

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from jinja2 import FileSystemBytecodeCache

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import Message, Role, User

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def template_cache(tmp_path_factory):
    # Compiling the templates (Bootstrap-Flask's form macros above all) again for each
    # test's new app would take most of the suite's time; share the compiled code.
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("templates")))


@pytest.fixture
def app(template_cache):
    """The app in testing configuration, with empty tables and the roles."""
    app = create_app("testing")
    app.jinja_env.bytecode_cache = template_cache
    with app.app_context():
        db.create_all()
        Role.insert_roles()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """make_user("alice", role="Moderator") -> a saved User (detached, attributes loaded).

    The email defaults to <username>@example.com and the password to PASSWORD.
    """

    def make_user(username="alice", email=None, password=PASSWORD, role=None):
        with app.app_context():
            if role is not None:
                role = db.session.scalar(sa.select(Role).filter_by(name=role))
            user = User(
                username=username,
                email=email or f"{username}@example.com",
                password=password,
                role=role,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)  # load the attributes before the session closes
            return user

    return make_user


@pytest.fixture
def login():
    """login(client, user) logs `client` in as `user` (made with the default password)."""

    def login(client, user, password=PASSWORD):
        response = client.post("/auth/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, "login failed"
        return response

    return login


def csrf_token(client, url="/auth/login"):
    """The CSRF token in the form at `url`, for apps made with WTF_CSRF_ENABLED=True."""
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


def add_messages(app, author, count):
    """`count` messages by `author`, oldest first, bodies "1".."count".

    Three messages share each timestamp, so the id must break ties in the ordering.
    """
    start = datetime(2026, 11, 21, 0, 51)
    with app.app_context():
        db.session.add_all(
            Message(
                body=str(number),
                author_id=author.id,
                created_at=start + timedelta(seconds=number // 3, microseconds=123),
            )
            for number in range(1, count + 1)
        )
        db.session.commit()
