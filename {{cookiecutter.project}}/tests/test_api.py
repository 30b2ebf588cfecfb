"""The JSON API under /api/v1: messages, users, token and session authentication, errors."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import ApiToken, Message, Role

from .helpers import (
    PASSWORD,
    add_messages,
    add_user,
    bearer,
    csrf_token,
    recorded_statements,
    unmigrated_app,
)

MESSAGES = "/api/v1/messages"


@pytest.fixture
def make_token(app):
    """make_token(user, name="laptop") -> the plaintext of a new API token for `user`."""

    def make_token(user, name="laptop"):
        with app.app_context():
            _, secret = ApiToken.issue(user, name)
            db.session.commit()
            return secret

    return make_token


def message_bodies(app):
    with app.app_context():
        return db.session.scalars(sa.select(Message.body).order_by(Message.id)).all()


def assert_error(response, status, code):
    """The API's one error shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["status"] == status and error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error["message"]


# Reading


def test_messages_newest_first_in_the_documented_shape(app, client, make_user):
    add_messages(app, make_user("alice"), 2)
    response = client.get(MESSAGES)
    assert response.status_code == 200
    newest, oldest = response.json["messages"]
    assert response.json["next"] is None
    assert newest.keys() == {"id", "body", "created_at", "edited_at", "parent_id", "author"}
    assert newest["edited_at"] is None and newest["parent_id"] is None
    assert (newest["body"], oldest["body"]) == ("2", "1")
    assert newest["author"] == {"username": "alice"}  # never the email
    assert newest["created_at"] == "2026-11-21T00:51:00.000123Z"


def test_next_cursors_page_through_every_message_once(app, client, make_user):
    add_messages(app, make_user(), 25)
    seen, url, pages = [], f"{MESSAGES}?limit=10", 0
    while url:
        page = client.get(url).json
        seen += [message["body"] for message in page["messages"]]
        pages += 1
        url = page["next"] and f"{MESSAGES}?limit=10&before={page['next']}"
    assert seen == [str(number) for number in range(25, 0, -1)]
    assert pages == 3


def test_prev_cursors_page_back_to_the_newest_page(app, client, make_user):
    add_messages(app, make_user(), 25)
    page = client.get(f"{MESSAGES}?limit=10").json
    assert page["prev"] is None
    while page["next"]:
        page = client.get(f"{MESSAGES}?limit=10&before={page['next']}").json
    assert [message["body"] for message in page["messages"]] == ["5", "4", "3", "2", "1"]
    seen = []
    while page["prev"]:
        page = client.get(f"{MESSAGES}?limit=10&after={page['prev']}").json
        seen = [message["body"] for message in page["messages"]] + seen
    assert seen == [str(number) for number in range(25, 5, -1)]


def test_the_newest_page_answers_a_poll_with_its_etag_by_304(app, client, make_user):
    add_messages(app, make_user(), 3)
    first = client.get(MESSAGES)
    etag = first.headers["ETag"]
    again = client.get(MESSAGES, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    # Another page, or a stale tag, is a full answer.
    assert client.get(f"{MESSAGES}?limit=2", headers={"If-None-Match": etag}).status_code == 200
    assert client.get(MESSAGES, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_the_etag_changes_when_a_message_is_posted_or_deleted(app, client, make_user, make_token):
    headers = bearer(make_token(make_user("alice")))
    add_messages(app, make_user("bob"), 2)
    before = client.get(MESSAGES).headers["ETag"]
    posted = client.post(MESSAGES, json={"body": "new"}, headers=headers).json
    after_post = client.get(MESSAGES, headers={"If-None-Match": before})
    assert after_post.status_code == 200 and after_post.headers["ETag"] != before
    client.delete(f"{MESSAGES}/{posted['id']}", headers=headers)
    after_delete = client.get(MESSAGES, headers={"If-None-Match": after_post.headers["ETag"]})
    assert after_delete.status_code == 200
    assert after_delete.headers["ETag"] == before  # the same page as before, the same tag


@pytest.mark.parametrize(
    ("query", "count"),
    [("", 4), ("?limit=0", 1), ("?limit=-3", 1), ("?limit=2", 2), ("?limit=1000", 5)],
)
def test_limit_defaults_to_the_page_size_and_is_clamped(app, client, make_user, query, count):
    app.config.update(MESSAGES_PER_PAGE=4, MAX_MESSAGES_PER_PAGE=5)
    add_messages(app, make_user(), 8)
    assert len(client.get(MESSAGES + query).json["messages"]) == count


def test_both_cursors_give_the_messages_between_them(app, client, make_user):
    add_messages(app, make_user(), 25)
    below_21 = client.get(f"{MESSAGES}?limit=5").json["next"]
    below_16 = client.get(f"{MESSAGES}?limit=10").json["next"]
    page = client.get(f"{MESSAGES}?before={below_21}&after={below_16}").json
    assert [message["body"] for message in page["messages"]] == ["20", "19", "18", "17"]


@pytest.mark.parametrize(
    "query", ["before=garbage", "before=", "before=2026-11-21T00:51:00%2B05:00_1", "limit=ten"]
)
def test_malformed_cursors_and_limits_are_json_400s(client, query):
    assert_error(client.get(f"{MESSAGES}?{query}"), 400, "bad_request")


def test_listing_is_one_statement_however_many_messages(app, client, make_user):
    alice = make_user("alice")

    def statements_for_the_list():
        with recorded_statements(app) as statements:
            assert client.get(f"{MESSAGES}?limit=100").status_code == 200
        return statements

    add_messages(app, alice, 5)
    with_5 = statements_for_the_list()
    add_messages(app, alice, 45)
    with_50 = statements_for_the_list()
    # The board version (the page cache's), then the messages with their authors, joined.
    assert len(with_5) == len(with_50) == 2
    assert "board_version" in with_50[0] and "count(" not in with_50[1].lower()
    assert len(statements_for_the_list()) == 1  # nothing changed: the stored list


def test_one_message_and_an_unknown_one(app, client, make_user):
    add_messages(app, make_user("alice"), 1)
    (message_id,) = [m["id"] for m in client.get(MESSAGES).json["messages"]]
    response = client.get(f"{MESSAGES}/{message_id}")
    assert response.status_code == 200
    assert response.json["body"] == "1" and response.json["author"] == {"username": "alice"}
    assert_error(client.get(f"{MESSAGES}/999"), 404, "not_found")


def test_users_show_name_role_and_date_never_the_email(client, make_user):
    make_user("mod", role="Moderator")
    response = client.get("/api/v1/users/mod")
    assert response.status_code == 200
    assert response.json.keys() == {"username", "role", "created_at"}
    assert response.json["role"] == "Moderator"
    assert response.json["created_at"].endswith("Z")
    assert "mod@example.com" not in response.get_data(as_text=True)
    assert_error(client.get("/api/v1/users/nobody"), 404, "not_found")


# Writing


def test_posting_with_a_token(app, client, make_user, make_token):
    secret = make_token(make_user("alice"))
    response = client.post(MESSAGES, json={"body": "  hello api \n"}, headers=bearer(secret))
    assert response.status_code == 201
    assert response.json["body"] == "hello api"
    assert response.json["author"] == {"username": "alice"}
    assert response.location == f"{MESSAGES}/{response.json['id']}"
    assert client.get(response.location).json == response.json
    assert message_bodies(app) == ["hello api"]


def test_a_message_of_max_length_is_accepted(app, client, make_user, make_token):
    secret = make_token(make_user())
    body = "x" * Message.MAX_LENGTH
    assert client.post(MESSAGES, json={"body": body}, headers=bearer(secret)).status_code == 201


@pytest.mark.parametrize(
    "request_body",
    [
        {"data": "body=hello"},  # a form, not JSON
        {"data": '{"body": "hello"', "content_type": "application/json"},  # malformed
        {"json": ["hello"]},
        {"json": "hello"},
        {"json": {}},
        {"json": {"body": ""}},
        {"json": {"body": " \n\t "}},
        {"json": {"body": 42}},
        {"json": {"body": None}},
        {"json": {"body": "x" * (Message.MAX_LENGTH + 1)}},
    ],
)
def test_bad_bodies_are_400s_and_post_nothing(app, client, make_user, make_token, request_body):
    secret = make_token(make_user())
    assert_error(client.post(MESSAGES, headers=bearer(secret), **request_body), 400, "bad_request")
    assert message_bodies(app) == []


@pytest.mark.parametrize("field", ["author", "author_id", "id", "created_at", "role", "extra"])
def test_fields_other_than_body_are_refused_by_name(app, client, make_user, make_token, field):
    secret = make_token(make_user())
    response = client.post(MESSAGES, json={"body": "hi", field: 1}, headers=bearer(secret))
    assert field in assert_error(response, 400, "bad_request")
    assert message_bodies(app) == []


def test_anonymous_writes_are_401s_that_ask_for_a_token(app, client, make_user):
    add_messages(app, make_user(), 1)
    for response in [client.post(MESSAGES, json={"body": "hi"}), client.delete(f"{MESSAGES}/1")]:
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert message_bodies(app) == ["1"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer not-a-token",
        "Bearer mbt_" + "A" * 43,  # well formed, unknown
        "Basic YWxpY2U6cGFzc3dvcmQ=",
        "",
    ],
)
def test_bad_tokens_are_401s_even_for_reading(client, header):
    response = client.get(MESSAGES, headers={"Authorization": header})
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer error=invalid_token"


def test_a_revoked_token_is_a_401(app, client, make_user, make_token):
    secret = make_token(make_user())
    assert client.get(MESSAGES, headers=bearer(secret)).status_code == 200
    with app.app_context():
        db.session.execute(sa.delete(ApiToken))
        db.session.commit()
    assert_error(client.get(MESSAGES, headers=bearer(secret)), 401, "unauthorized")
    response = client.post(MESSAGES, json={"body": "hi"}, headers=bearer(secret))
    assert_error(response, 401, "unauthorized")
    assert message_bodies(app) == []


def test_users_without_write_permission_get_403(app, client, make_user, make_token):
    with app.app_context():
        db.session.add(Role(name="Muted", permissions=0))
        db.session.commit()
    secret = make_token(make_user(role="Muted"))
    response = client.post(MESSAGES, json={"body": "hi"}, headers=bearer(secret))
    assert_error(response, 403, "forbidden")
    assert message_bodies(app) == []


def test_authors_delete_their_messages(app, client, make_user, make_token):
    alice = make_user("alice")
    add_messages(app, alice, 1)
    headers = bearer(make_token(alice))
    response = client.delete(f"{MESSAGES}/1", headers=headers)
    assert response.status_code == 204 and response.data == b""
    assert message_bodies(app) == []
    assert_error(client.delete(f"{MESSAGES}/1", headers=headers), 404, "not_found")


def test_other_users_cannot_delete(app, client, make_user, make_token):
    add_messages(app, make_user("alice"), 1)
    response = client.delete(f"{MESSAGES}/1", headers=bearer(make_token(make_user("bob"))))
    assert_error(response, 403, "forbidden")
    assert message_bodies(app) == ["1"]


@pytest.mark.parametrize("role", ["Moderator", "Administrator"])
def test_moderators_delete_any_message(app, client, make_user, make_token, role):
    add_messages(app, make_user("alice"), 1)
    moderator = make_token(make_user("mod", role=role))
    response = client.delete(f"{MESSAGES}/1", headers=bearer(moderator))
    assert response.status_code == 204
    assert message_bodies(app) == []


# Tokens, sessions and CSRF


def test_tokens_are_stored_only_as_their_sha256(app, make_user, make_token):
    secret = make_token(make_user())
    assert secret.startswith(ApiToken.PREFIX)
    with app.app_context():
        everything = [
            str(value)
            for table in db.metadata.sorted_tables
            for row in db.session.execute(sa.select(table))
            for value in row
        ]
        stored = db.session.scalar(sa.select(ApiToken.token_hash))
    random_part = secret.removeprefix(ApiToken.PREFIX)
    assert not any(random_part in value for value in everything)
    assert stored == hashlib.sha256(secret.encode()).hexdigest()


def test_token_requests_neither_set_nor_use_the_session_cookie(
    app, client, make_user, make_token, login
):
    secret = make_token(make_user("alice"))
    assert "Set-Cookie" not in client.get(MESSAGES, headers=bearer(secret)).headers
    response = client.post(MESSAGES, json={"body": "hi"}, headers=bearer(secret))
    assert response.status_code == 201 and "Set-Cookie" not in response.headers

    # Logged in as bob in the same client: the token still decides who posts.
    login(client, make_user("bob"))
    response = client.post(MESSAGES, json={"body": "mine"}, headers=bearer(secret))
    assert response.json["author"] == {"username": "alice"}
    assert "Set-Cookie" not in response.headers


def test_last_used_is_written_at_most_once_an_hour(app, client, make_user, make_token):
    secret = make_token(make_user())

    def last_used():
        with app.app_context():
            return db.session.scalar(sa.select(ApiToken.last_used_at))

    assert last_used() is None
    client.get(MESSAGES, headers=bearer(secret))
    first = last_used()
    assert first is not None
    client.get(MESSAGES, headers=bearer(secret))
    assert last_used() == first  # the second read wrote nothing
    with app.app_context():
        db.session.execute(sa.update(ApiToken).values(last_used_at=first - timedelta(hours=2)))
        db.session.commit()
    client.get(MESSAGES, headers=bearer(secret))
    assert last_used() >= first


def test_a_logged_in_browser_session_can_use_the_api(app, client, make_user, login):
    login(client, make_user("alice"))
    response = client.post(MESSAGES, json={"body": "from the page"})
    assert response.status_code == 201 and response.json["author"] == {"username": "alice"}


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    alice = add_user(app, "alice")
    with app.app_context():
        _, secret = ApiToken.issue(alice, "laptop")
        db.session.commit()

    client = app.test_client()
    token = csrf_token(client)
    login = {"email": "alice@example.com", "password": PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=login).status_code == 302

    message = assert_error(client.post(MESSAGES, json={"body": "forged"}), 400, "bad_request")
    assert "CSRF" in message
    assert_error(client.delete(f"{MESSAGES}/1"), 400, "bad_request")
    # Logging in rotated the token: the one from before is refused.
    stale = client.post(MESSAGES, json={"body": "stale"}, headers={"X-CSRFToken": token})
    assert_error(stale, 400, "bad_request")
    token = csrf_token(client, "/auth/password")
    response = client.post(MESSAGES, json={"body": "real"}, headers={"X-CSRFToken": token})
    assert response.status_code == 201

    # A token request carries no CSRF token: it needs none (no page can send the header).
    response = app.test_client().post(MESSAGES, json={"body": "script"}, headers=bearer(secret))
    assert response.status_code == 201
    assert message_bodies(app) == ["real", "script"]


# Errors and limits


def test_unknown_urls_and_methods_are_json(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.get("/api/v2/messages"), 404, "not_found")
    response = client.put(f"{MESSAGES}/1", json={"body": "hi"})
    assert_error(response, 405, "method_not_allowed")
    assert "DELETE" in response.headers["Allow"]
    # The site's own pages keep their HTML error pages.
    assert "Page not found" in client.get("/nothing-here").get_data(as_text=True)


def test_oversized_bodies_are_json_413s(client, make_user, make_token):
    secret = make_token(make_user())
    body = {"body": "x" * (1024 * 1024)}
    assert_error(client.post(MESSAGES, json=body, headers=bearer(secret)), 413, "too_large")


def test_writes_are_rate_limited_per_user(app, client, make_user, make_token):
    app.config["API_WRITE_LIMIT"] = "2 per minute"
    alice, bob = make_token(make_user("alice")), make_token(make_user("bob"))
    assert client.post(MESSAGES, json={"body": "1"}, headers=bearer(alice)).status_code == 201
    assert client.delete(f"{MESSAGES}/1", headers=bearer(alice)).status_code == 204
    # Posting and deleting share the count.
    response = client.post(MESSAGES, json={"body": "3"}, headers=bearer(alice))
    assert_error(response, 429, "rate_limited")
    assert client.post(MESSAGES, json={"body": "b"}, headers=bearer(bob)).status_code == 201
    assert client.get(MESSAGES, headers=bearer(alice)).status_code == 200  # reads are not limited


def test_server_errors_are_json_and_roll_back(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(query):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr("{{ cookiecutter.package }}.api.routes.paginate", broken)
    response = client.get(MESSAGES)
    message = assert_error(response, 500, "server_error")
    assert "fell over" not in message and "Traceback" not in response.get_data(as_text=True)


def test_the_migration_guard_answers_the_api_in_json(tmp_path):
    client = unmigrated_app(tmp_path).test_client()
    assert "flask db upgrade" in assert_error(client.get(MESSAGES), 503, "unavailable")
    assert client.get("/").mimetype == "text/html"  # the site's own 503 page
