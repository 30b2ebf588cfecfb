"""Idempotency-Key on POST /api/v1/messages: a retried post returns the first answer."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import ApiToken, IdempotencyKey, Message

from .helpers import add_user
from .migrations.helpers import server_url_or_skip, throwaway_database

MESSAGES = "/api/v1/messages"


def token_headers(app, user, key=None):
    with app.app_context():
        _, secret = ApiToken.issue(user, "laptop")
        db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    return headers | ({"Idempotency-Key": key} if key else {})


def message_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Message))


def test_a_retry_with_the_same_key_returns_the_first_answer(app, client, make_user):
    headers = token_headers(app, make_user("alice"), key="3f2a-retry")
    first = client.post(MESSAGES, json={"body": "once"}, headers=headers)
    again = client.post(MESSAGES, json={"body": "once"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert message_count(app) == 1


def test_without_a_key_or_with_another_key_each_post_counts(app, client, make_user):
    headers = token_headers(app, make_user("alice"))
    client.post(MESSAGES, json={"body": "a"}, headers=headers)
    client.post(MESSAGES, json={"body": "a"}, headers=headers)
    client.post(MESSAGES, json={"body": "a"}, headers=headers | {"Idempotency-Key": "k1"})
    client.post(MESSAGES, json={"body": "a"}, headers=headers | {"Idempotency-Key": "k2"})
    assert message_count(app) == 4


def test_keys_belong_to_one_user(app, client, make_user):
    alice = token_headers(app, make_user("alice"), key="shared")
    bob = token_headers(app, make_user("bob"), key="shared")
    assert client.post(MESSAGES, json={"body": "hi"}, headers=alice).json["author"] == {
        "username": "alice"
    }
    assert client.post(MESSAGES, json={"body": "hi"}, headers=bob).json["author"] == {
        "username": "bob"
    }
    assert message_count(app) == 2


def test_the_same_key_for_another_body_is_a_422(app, client, make_user):
    headers = token_headers(app, make_user("alice"), key="k")
    client.post(MESSAGES, json={"body": "first"}, headers=headers)
    response = client.post(MESSAGES, json={"body": "second"}, headers=headers)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unprocessable"
    assert "Idempotency-Key" in response.json["error"]["message"]
    assert message_count(app) == 1


@pytest.mark.parametrize("key", ["", "has space", "x" * 129, "caf\u00e9"])
def test_malformed_keys_are_400s_that_post_nothing(app, client, make_user, key):
    headers = token_headers(app, make_user("alice")) | {"Idempotency-Key": key}
    response = client.post(MESSAGES, json={"body": "hi"}, headers=headers)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json["error"]["message"]
    assert message_count(app) == 0


def test_a_key_older_than_a_day_posts_again(app, client, make_user):
    headers = token_headers(app, make_user("alice"), key="daily")
    client.post(MESSAGES, json={"body": "hi"}, headers=headers)
    with app.app_context():
        db.session.execute(
            sa.update(IdempotencyKey).values(
                created_at=IdempotencyKey.created_at - IdempotencyKey.LIFETIME - timedelta(1)
            )
        )
        db.session.commit()
    response = client.post(MESSAGES, json={"body": "hi"}, headers=headers)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert message_count(app) == 2
    with app.app_context():  # the old key was replaced, not kept beside the new one
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey)) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def server_app(request, make_app, tmp_path):
    """An app on a database that several threads can write at once (not :memory:)."""
    if request.param == "sqlite":
        yield make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'race.db'}")
        return
    with throwaway_database(server_url_or_skip(request.param)) as url:
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        yield app
        with app.app_context():
            db.engine.dispose()


def test_concurrent_duplicates_post_one_message(server_app):
    app, copies = server_app, 6
    headers = token_headers(app, add_user(app, "alice"), key="race")
    start = threading.Barrier(copies)

    def post(_):
        start.wait()  # all at once, as a client's retries after a timeout can be
        response = app.test_client().post(MESSAGES, json={"body": "once"}, headers=headers)
        return response.status_code, response.json

    with ThreadPoolExecutor(copies) as pool:
        answers = list(pool.map(post, range(copies)))
    assert {status for status, _ in answers} == {201}
    assert all(body == answers[0][1] for _, body in answers)
    assert message_count(app) == 1
