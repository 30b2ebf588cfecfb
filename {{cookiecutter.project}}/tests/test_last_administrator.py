"""Two administrators demoting each other at the same moment leave one, on the server
databases for real (PostgreSQL and MySQL/MariaDB: see tests/migrations/conftest.py)."""

import threading
import time

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import Role, User

from .helpers import add_user, log_in
from .migrations.helpers import server_url_or_skip, throwaway_database


@pytest.fixture(params=["postgresql", "mysql"])
def server_app(request, make_app):
    with throwaway_database(server_url_or_skip(request.param)) as url:
        yield make_app(SQLALCHEMY_DATABASE_URI=url)


def widen_the_race(app):
    """Pause after every read of the administrators, so that both requests have read
    before either writes: without a lock, both would see two administrators."""

    def pause(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT") and "role_id IN" in statement:
            time.sleep(0.5)

    with app.app_context():
        sa.event.listen(db.engine, "after_cursor_execute", pause)


def test_two_administrators_demoting_each_other_at_once_leave_one(server_app):
    first, second = (add_user(server_app, name, role="Administrator") for name in ("ann", "ben"))
    clients = [server_app.test_client(), server_app.test_client()]
    assert log_in(clients[0], first.email).status_code == 302
    assert log_in(clients[1], second.email).status_code == 302
    widen_the_race(server_app)
    start = threading.Barrier(2)
    statuses = []

    def demote(client, target):
        start.wait()
        response = client.post(f"/admin/users/{target.id}/role", data={"role": "User"})
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=demote, args=(clients[0], second)),
        threading.Thread(target=demote, args=(clients[1], first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]  # one demoted, one told "the last administrator"
    with server_app.app_context():
        admin = db.session.scalar(sa.select(Role).filter_by(name="Administrator"))
        remaining = db.session.scalars(sa.select(User.username).filter_by(role_id=admin.id))
        assert len(remaining.all()) == 1
