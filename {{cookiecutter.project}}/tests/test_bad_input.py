"""Input no database can store gets a 400 (or a 404 for an id that cannot exist), never
a 500: on SQLite, and on PostgreSQL and MySQL for real, which refuse more (NUL bytes,
out-of-range integers). An unreachable database answers 503."""

import socket

import pytest

from {{ cookiecutter.package }} import create_app

from .helpers import add_user, log_in
from .migrations.helpers import server_url_or_skip, throwaway_database

HUGE_ID = "9" * 30
DEEP_JSON = "[" * 100_000 + "]" * 100_000


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def logged_in(request, make_app):
    """A client logged in as alice, on each database in turn."""
    if request.param == "sqlite":
        app = make_app()
        yield app, login(app)
        return
    with throwaway_database(server_url_or_skip(request.param)) as url:
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        yield app, login(app)


def login(app):
    alice = add_user(app, "alice")
    client = app.test_client()
    assert log_in(client, alice.email).status_code == 302
    return client


@pytest.mark.parametrize("path", [f"/api/v1/messages/{HUGE_ID}", f"/api/v1/messages/{2**31}"])
def test_ids_no_column_can_hold_are_404(logged_in, path):
    _app, client = logged_in
    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404  # not 405: the path names nothing
    assert client.post(f"/messages/{HUGE_ID}/delete").status_code == 404


def test_a_cursor_with_an_id_no_column_can_hold_is_a_page(logged_in):
    _app, client = logged_in
    cursor = f"2026-11-21T00:51:00_{'9' * 18}"
    assert client.get(f"/?before={cursor}").status_code == 200
    assert client.get(f"/api/v1/messages?after={cursor}").json["messages"] == []


@pytest.mark.parametrize("body", ["nul \x00 byte", "lone \ud800 surrogate"])
def test_unstorable_text_in_json_is_400(logged_in, body):
    _app, client = logged_in
    response = client.post("/api/v1/messages", json={"body": body})
    assert response.status_code == 400
    assert "NUL characters or lone surrogates" in response.get_json()["error"]["message"]


def test_nul_bytes_in_form_fields_are_400(logged_in):
    _app, client = logged_in
    assert client.post("/messages", data={"body": "nul \x00 byte"}).status_code == 400
    response = client.post("/auth/login", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
    assert "NUL characters" in response.get_data(as_text=True)


def test_deeply_nested_json_is_400(logged_in):
    _app, client = logged_in
    response = client.post("/api/v1/messages", data=DEEP_JSON, content_type="application/json")
    assert response.status_code == 400


def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/for/this/test.db",
        f"postgresql+psycopg://postgres@127.0.0.1:{unused_port()}/none",
    ],
)
def test_an_unreachable_database_answers_503_in_the_sites_look(url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "cannot reach its database" in response.get_data(as_text=True)
    response = client.get("/api/v1/messages")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
