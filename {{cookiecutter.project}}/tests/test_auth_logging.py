"""The auth log: every event with who and from where, never a password."""

import logging

import pytest

LOGGER = "{{ cookiecutter.package }}.auth"
OLD = "old secret passphrase 7f3a9c"
NEW = "new secret passphrase 2b8e1d"
TYPO = "typo secret passphrase 5c4d6e"


@pytest.fixture
def auth_log(caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return caplog


def lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == LOGGER]


def test_auth_events_are_logged_without_passwords(app, client, make_user, auth_log):
    boss = make_user("boss", password=OLD, role="Administrator")
    bob = make_user("bob")
    address = {"REMOTE_ADDR": "203.0.113.7"}

    client.post(
        "/auth/login", data={"email": "nobody@example.com", "password": TYPO}, environ_base=address
    )
    client.post("/auth/login", data={"email": boss.email, "password": TYPO}, environ_base=address)
    client.post("/auth/login", data={"email": boss.email, "password": OLD}, environ_base=address)
    client.post("/auth/password", data={"current": TYPO, "password": NEW, "confirm": NEW})
    client.post("/auth/password", data={"current": OLD, "password": NEW, "confirm": NEW})
    client.post(f"/admin/users/{bob.id}/role", data={"role": "Moderator"})
    client.post("/auth/logout", environ_base=address)
    client.post(
        "/auth/login", data={"email": bob.email, "password": "correct horse battery staple"}
    )
    client.get("/admin/users")

    log = lines(auth_log)
    expected = [
        "login failed email='nobody@example.com' ip=203.0.113.7",
        "login failed email='boss@example.com' ip=203.0.113.7",
        f"login user={boss.id}:boss ip=203.0.113.7",
        f"password change refused user={boss.id}:boss ip=127.0.0.1",
        f"password changed user={boss.id}:boss ip=127.0.0.1",
        f"role changed user={boss.id}:boss ip=127.0.0.1 target='{bob.id}:bob' old='User' "
        "new='Moderator'",
        f"logout user={boss.id}:boss ip=203.0.113.7",
        f"login user={bob.id}:bob ip=127.0.0.1",
        f"forbidden user={bob.id}:bob ip=127.0.0.1 path='/admin/users'",
    ]
    assert log == expected
    everything = auth_log.text + "".join(str(record.args) for record in auth_log.records)
    for password in [OLD, NEW, TYPO, "correct horse battery staple"]:
        assert password not in everything


def test_failures_and_403s_are_warnings(client, make_user, login, auth_log):
    client.post("/auth/login", data={"email": "nobody@example.com", "password": TYPO})
    login(client, make_user("alice"))
    client.get("/admin/users")
    events = [
        (record.getMessage().split(" user=")[0].split(" email=")[0], record.levelno)
        for record in auth_log.records
    ]
    assert events == [
        ("login failed", logging.WARNING),
        ("login", logging.INFO),
        ("forbidden", logging.WARNING),
    ]


def test_anonymous_403_is_logged_as_anonymous(app, client, auth_log):
    from flask import abort

    app.add_url_rule("/forbidden", "forbidden", lambda: abort(403))
    assert client.get("/forbidden").status_code == 403
    assert lines(auth_log) == ["forbidden user=anonymous ip=127.0.0.1 path='/forbidden'"]


def test_a_crafted_email_cannot_forge_log_lines(client, auth_log):
    email = "x@example.com\nlogin user=1:boss ip=10.0.0.1"
    client.post("/auth/login", data={"email": email, "password": TYPO})
    assert all("\n" not in line for line in lines(auth_log))
