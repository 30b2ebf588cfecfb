"""New passwords: length, the common-password blocklist, and changing one's password."""

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.auth.reset import reset_token
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import User
from {{ cookiecutter.package }}.passwords import MAX_PASSWORD_BYTES

from .helpers import NEW_PASSWORD, PASSWORD, add_user, change_password, register

COMMON = "That password is one of the most common ones"


def logged_in(client):
    return "Logged in as" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "password",
    [
        "password1234567",
        "PassWord1234567",
        "123456789012345",
        "QWERTYUIOPASDFGH",
        "1qaz2wsx3edc4rfv",
    ],
)
def test_register_refuses_common_passwords_ignoring_case(app, client, password):
    response = register(client, password=password)
    assert response.status_code == 200
    assert COMMON in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User)) is None


@pytest.mark.parametrize("password", ["password", "Password1", "QWERTY123", "letmein"])
def test_short_common_passwords_are_refused_under_a_lower_minimum(app, client, password):
    app.config["PASSWORD_MIN_LENGTH"] = 6
    response = register(client, password=password)
    assert response.status_code == 200
    assert COMMON in response.get_data(as_text=True)


def test_an_uncommon_password_of_the_minimum_length_is_accepted(client):
    assert register(client, password="plum tree alley").status_code == 302  # 15 characters


def test_password_page_needs_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")
    assert change_password(client).location.startswith("/auth/login")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"current": "not my password at all"}, "That is not your current password."),
        ({"current": ""}, "This field is required."),
        ({"password": "too short", "confirm": "too short"}, "Use at least 15 characters."),
        ({"password": "x" * 73, "confirm": "x" * 73}, "Use at most 72 bytes"),
        ({"password": "Password1234567", "confirm": "Password1234567"}, COMMON),
        ({"confirm": "something else entirely"}, "The passwords do not match."),
    ],
)
def test_change_password_refuses(app, client, make_user, login, fields, error):
    login(client, make_user())
    response = change_password(client, **fields)
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User)).verify_password(PASSWORD)


def test_changing_the_password_ends_the_other_sessions(app, make_user, login):
    user = make_user()
    changer, other = app.test_client(), app.test_client()
    login(changer, user)
    other.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    old_cookie = other.get_cookie("remember_token").value
    cookie_only = app.test_client()
    cookie_only.set_cookie("remember_token", old_cookie)
    assert logged_in(other) and logged_in(cookie_only)  # the cookie alone logs in

    response = change_password(changer)
    assert response.status_code == 302
    assert logged_in(changer)
    assert not logged_in(other)
    assert not logged_in(cookie_only)
    only_the_old_cookie = app.test_client()
    only_the_old_cookie.set_cookie("remember_token", old_cookie)
    assert not logged_in(only_the_old_cookie)
    with app.app_context():
        assert db.session.scalar(sa.select(User)).verify_password(NEW_PASSWORD)
    # The old password no longer works, the new one does.
    assert (
        other.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code
        == 200
    )
    login(other, user, password=NEW_PASSWORD)


def test_changing_the_password_renews_this_clients_remember_cookie(app, make_user):
    user = make_user()
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    old_cookie = client.get_cookie("remember_token").value
    assert change_password(client).status_code == 302
    new_cookie = client.get_cookie("remember_token").value
    assert new_cookie != old_cookie
    restored = app.test_client()
    restored.set_cookie("remember_token", new_cookie)
    assert logged_in(restored)


def test_a_malformed_session_user_id_is_anonymous(app, client, make_user):
    user = make_user()
    for user_id in [str(user.id), f"{user.id}:", f"{user.id}:0123456789abcdef", "x:y", ""]:
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        assert not logged_in(client), user_id


@pytest.mark.parametrize(
    "password",
    ["1111111111111111", "aaaaaaaaaaaaaaaa", "qwertyqwertyqwerty", "dragonball123456"],
)
def test_long_but_guessable_passwords_are_refused_with_the_reason(app, client, password):
    response = register(client, password=password)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "invalid-feedback" in page  # the reason, shown under the field
    with app.app_context():
        assert db.session.scalar(sa.select(User)) is None


def test_a_password_made_of_the_username_and_email_is_refused(app, client):
    account = {"username": "wintersparrow", "email": "wintersparrow@example.com"}
    assert register(client, password="wintersparrow2024!", **account).status_code == 200
    assert register(client, password="plum tree alley", **account).status_code == 302


def reset_url(app, user):
    with app.app_context():
        return f"/auth/reset/{reset_token(db.session.get(User, user.id))}"


@pytest.mark.parametrize("min_length", [15, 20])
def test_every_new_password_field_shows_the_limits_before_submit(make_app, login, min_length):
    """Registration, reset and change of password show the validators' own limits."""
    app = make_app(PASSWORD_MIN_LENGTH=min_length)
    alice = add_user(app, "alice")
    rule = f"{min_length} to {MAX_PASSWORD_BYTES} characters (accented letters"
    client = app.test_client()
    pages = [client.get("/auth/register"), client.get(reset_url(app, alice))]
    login(client, alice)
    pages.append(client.get("/auth/password"))
    for page in pages:
        assert page.status_code == 200
        assert f'<small class="form-text text-body-secondary">{rule}' in page.text
    refused = register(app.test_client(), "bob", password="plum tree alley"[: min_length - 1])
    assert f"Use at least {min_length} characters." in refused.text  # the same number


def test_password_problem_takes_the_account_words(app):
    from {{ cookiecutter.package }}.passwords import password_problem

    with app.app_context():
        assert password_problem("wintersparrow2024!") is None
        assert password_problem("wintersparrow2024!", ["wintersparrow", None]) is not None
