"""Rate limits: failed logins per account and per address, registrations per address,
wrong current passwords on the password page per account."""

import uuid

import pytest

from {{ cookiecutter.package }}.extensions import limiter

from .helpers import PASSWORD, change_password, log_in, redis_url, register, unused_port

WRONG = "not the password, sorry"


def refused_registration(client, number, address=None):
    # The passwords do not match: a refused registration counts as well.
    return register(client, f"user{number}", confirm="something else entirely", address=address)


def test_sixth_failed_login_for_one_account_gets_429_from_any_address(client, make_user):
    make_user("alice")
    for number in range(1, 6):
        assert (
            log_in(client, "alice@example.com", WRONG, address=f"10.0.0.{number}").status_code
            == 200
        )
    # Also with the right password, from a new address, with the email spelled differently.
    response = log_in(client, " Alice@Example.com", PASSWORD, address="10.0.0.6")
    assert response.status_code == 429
    assert log_in(client, "bob@example.com", WRONG, address="10.0.0.7").status_code == 200


def test_sixth_failed_login_from_one_address_gets_429_for_any_account(client):
    for number in range(1, 6):
        assert log_in(client, f"user{number}@example.com", WRONG).status_code == 200
    assert log_in(client, "user6@example.com", WRONG).status_code == 429
    assert log_in(client, "user6@example.com", WRONG, address="10.0.0.2").status_code == 200


def test_successful_logins_do_not_count_as_failures(client, make_user):
    make_user("alice")
    for _ in range(4):
        assert log_in(client, "alice@example.com", WRONG).status_code == 200
    assert log_in(client, "alice@example.com", PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert log_in(client, "alice@example.com", PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert log_in(client, "alice@example.com", WRONG).status_code == 200  # the 5th failure
    assert log_in(client, "alice@example.com", WRONG).status_code == 429


def test_showing_the_login_form_is_not_limited(client):
    for _ in range(5):
        log_in(client, "alice@example.com", WRONG)
    assert client.get("/auth/login").status_code == 200


def test_sixth_registration_from_one_address_gets_429(client):
    for number in range(1, 6):
        assert refused_registration(client, number).status_code == 200
    assert refused_registration(client, 6).status_code == 429
    assert refused_registration(client, 7, address="10.0.0.2").status_code == 200


def test_sixth_wrong_current_password_gets_429(client, make_user, login):
    """A stolen session cannot guess the password on the password page."""
    login(client, make_user("alice"))
    for _ in range(5):
        response = change_password(client, WRONG)
        assert response.status_code == 200
        assert "That is not your current password." in response.get_data(as_text=True)
    assert change_password(client, PASSWORD).status_code == 429


def test_a_right_current_password_does_not_count(client, make_user, login):
    login(client, make_user("alice"))
    for _ in range(4):
        assert change_password(client, WRONG).status_code == 200
    assert change_password(client, PASSWORD).status_code == 302


def test_limits_kept_in_redis_outlive_the_app(make_app):
    import redis

    url = redis_url()
    # Unique per run: runs in parallel, or leftovers of the last minute, share no counts.
    run = uuid.uuid4()
    email = f"{run.hex}@example.com"
    address = "10.{}.{}.{}".format(*run.bytes[:3])

    def new_client():
        return make_app(RATELIMIT_STORAGE_URI=url).test_client()

    server = redis.Redis.from_url(url)
    try:
        first = new_client()
        for _ in range(5):
            assert log_in(first, email, WRONG, address=address).status_code == 200
        assert server.keys(f"*{email}*"), "the counts are not in Redis"
        # A new app (another worker, or a restart) sees the same counts.
        assert log_in(new_client(), email, WRONG, address=address).status_code == 429
    finally:
        for key in server.keys(f"*{email}*") + server.keys(f"*/{address}/*"):
            server.delete(key)
        server.close()


@pytest.fixture
def forget_dead_storage():
    # The limiter object is module-wide: "Redis is down" would outlive this test's app.
    yield
    limiter._storage_dead = False


def test_with_redis_down_limits_fall_back_to_memory_and_say_so(
    make_app, caplog, forget_dead_storage
):
    app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{unused_port()}/0")
    client = app.test_client()
    for _ in range(5):
        assert log_in(client, "alice@example.com", WRONG).status_code == 200
    assert log_in(client, "alice@example.com", WRONG).status_code == 429  # still limited
    assert register(client, username="bob").status_code in (200, 302)
    assert any(
        record.name == "flask-limiter" and "falling back" in record.getMessage()
        for record in caplog.records
    )
