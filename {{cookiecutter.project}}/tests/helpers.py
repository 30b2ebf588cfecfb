"""Plain helpers for the tests (the fixtures are in conftest.py)."""

import email
import email.policy
import os
import re
import socket
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import BoardVersion, Message, Role, User

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase for alice"


def unmigrated_app(tmp_path):
    """An app on a new, empty SQLite file, with the migration guard on (as in production):
    no revision has run, so it answers 503."""
    url = f"sqlite:///{tmp_path / 'unmigrated.db'}"
    return create_app("testing", SQLALCHEMY_DATABASE_URI=url, CHECK_MIGRATIONS=True)


def redis_url():
    """TEST_REDIS_URL: a Redis database the tests may write keys of their own to."""
    if url := os.environ.get("TEST_REDIS_URL"):
        return url
    if os.environ.get("CI") == "true":
        pytest.fail("TEST_REDIS_URL must be set in CI: the Redis tests may not skip")
    pytest.skip("set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to run the Redis tests")


def unused_port():
    """A loopback port nothing listens on (a server that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bearer(secret):
    """The header that sends an API token."""
    return {"Authorization": f"Bearer {secret}"}


def create_tables(app):
    """What `flask db upgrade` gives a new database: the tables, the roles (reference
    data of migration 0003, which tests/migrations/test_reference_data.py holds to
    Role.PERMISSIONS) and the board version's row (0012)."""
    with app.app_context():
        db.create_all()
        db.session.add_all(
            Role(name=name, permissions=permissions, default=name == Role.DEFAULT)
            for name, permissions in Role.PERMISSIONS.items()
        )
        db.session.add(BoardVersion(id=BoardVersion.ROW_ID, version=0))
        db.session.commit()


def add_user(app, username="alice", email=None, password=PASSWORD, role=None):
    """A saved User (detached, attributes loaded): <username>@example.com by default."""
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


def add_messages(app, author, count=None, bodies=None, parent_id=None):
    """Messages by `author`, oldest first: `bodies`, or "1".."count"; replies to the
    message `parent_id` if given.

    Three messages share each timestamp, so the id must break ties in the ordering.
    """
    bodies = bodies or [str(number) for number in range(1, count + 1)]
    start = datetime(2026, 11, 21, 0, 51)
    with app.app_context():
        db.session.add_all(
            Message(
                body=body,
                author_id=author.id,
                parent_id=parent_id,
                created_at=start + timedelta(seconds=number // 3, microseconds=123),
            )
            for number, body in enumerate(bodies, start=1)
        )
        db.session.commit()


def message_ids(app, *criteria):
    """The ids of the messages that match `criteria` (all without any), oldest first."""
    with app.app_context():
        query = sa.select(Message.id).where(*criteria).order_by(Message.id)
        return db.session.scalars(query).all()


def from_address(address):
    """Request options for a client at another IP address (the rate limits count per address)."""
    return {"environ_base": {"REMOTE_ADDR": address}} if address else {}


def register(client, username="alice", email=None, password=PASSWORD, address=None, **fields):
    """POST the registration form; `fields` replace any of its values (confirm=...)."""
    data = {
        "username": username,
        "email": email or f"{username}@example.com",
        "password": password,
        "confirm": password,
    }
    return client.post("/auth/register", data=data | fields, **from_address(address))


def log_in(client, email, password=PASSWORD, address=None, **fields):
    """POST the login form; `fields` add to it (remember="y", csrf_token=...)."""
    data = {"email": email, "password": password, **fields}
    return client.post("/auth/login", data=data, **from_address(address))


def change_password(client, current=PASSWORD, password=NEW_PASSWORD, confirm=None):
    data = {"current": current, "password": password, "confirm": confirm or password}
    return client.post("/auth/password", data=data)


def csrf_token(client, url="/auth/login"):
    """The CSRF token in the form at `url`, for apps made with WTF_CSRF_ENABLED=True."""
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


@contextmanager
def recorded_statements(app):
    """The SQL statements `app` sends while the block runs, as a list."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)


MAIL_WAIT_SECONDS = 15


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every message it receives, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def wait_for(self, count=1):
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} of {count} mails arrived"
            time.sleep(0.05)
        return self.messages[count - 1]


class SMTPServer:
    """A real SMTP server on a loopback port that a test can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def link_in(message):
    """The one link of a mail, checked to be the same in its text and HTML parts."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    (link,) = re.findall(r"https?://\S+", text)
    assert f'href="{link}"' in html
    return link
