import re

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.auth.forms import RegistrationForm
from {{ cookiecutter.package }}.extensions import bcrypt, db
from {{ cookiecutter.package }}.models import Role, User
from {{ cookiecutter.package }}.redirects import is_safe_next

from .helpers import PASSWORD, register

INVALID_LOGIN = "Invalid email or password."


def test_register_login_logout(app, client):
    response = register(client, email="  Alice@Example.COM ")
    assert response.status_code == 302
    # Registering logs the new user in.
    page = client.get("/").get_data(as_text=True)
    assert "Logged in as" in page and "Welcome, alice!" in page
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(username="alice"))
        assert user.email == "alice@example.com"
        assert user.verify_password(PASSWORD)

    response = client.post("/auth/logout", follow_redirects=True)
    assert "You are logged out." in response.get_data(as_text=True)
    assert "Logged in as" not in response.get_data(as_text=True)

    response = client.post(
        "/auth/login",
        data={"email": "ALICE@example.com", "password": PASSWORD},
        follow_redirects=True,
    )
    assert "Welcome back, alice!" in response.get_data(as_text=True)
    assert "Logged in as" in response.get_data(as_text=True)


def test_register_and_login_pages_render(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    for url, fields in [
        ("/auth/register", ["username", "email", "password", "confirm", "csrf_token"]),
        ("/auth/login", ["email", "password", "remember", "csrf_token"]),
    ]:
        page = client.get(url).get_data(as_text=True)
        for field in fields:
            assert f'name="{field}"' in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"username": "al"}, "Field must be between 3 and 64 characters long."),
        ({"username": "a" * 65}, "Field must be between 3 and 64 characters long."),
        ({"username": "alice smith"}, "Use only letters, digits"),
        ({"username": "<alice>"}, "Use only letters, digits"),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"email": "a" * 180 + "@example.com"}, "Field cannot be longer than 191 characters."),
        ({"password": "short password", "confirm": "short password"}, "at least 15 characters"),
        ({"password": "x" * 73, "confirm": "x" * 73}, "Use at most 72 bytes"),
        ({"password": "é" * 37, "confirm": "é" * 37}, "Use at most 72 bytes"),  # 74 bytes
        ({"confirm": "something else entirely"}, "The passwords do not match."),
    ],
)
def test_register_rejects_bad_input(app, client, fields, error):
    response = register(client, **fields)
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User)) is None


def test_register_accepts_a_72_byte_password_without_composition_rules(client):
    password = "quiet violet tractor museum blanket harbour pickle saxophone orbit lante"
    assert len(password.encode()) == 72
    assert register(client, password=password).status_code == 302


def test_password_min_length_comes_from_config(app, client):
    # Nine characters: zxcvbn scores no eight-character password 3 or more.
    app.config["PASSWORD_MIN_LENGTH"] = 9
    assert register(client, password="plum tree").status_code == 302


UNAVAILABLE = "That username or email cannot be used."


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "other@example.com"},
        {"username": "ALICE", "email": "other@example.com"},
        {"username": "other", "email": "alice@example.com"},
        {"username": "other", "email": "Alice@Example.com"},
    ],
)
def test_register_rejects_taken_username_or_email(app, client, make_user, fields):
    make_user("alice")
    response = register(client, **fields)
    assert response.status_code == 200
    assert UNAVAILABLE in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(sa.select(User)).all()) == 1


def test_a_server_fault_during_registration_is_a_500_not_cannot_be_used(app, client, caplog):
    """A board without roles (never upgraded, say) must not answer like a taken name."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with app.app_context():
        db.session.execute(sa.delete(Role))
        db.session.commit()
    response = register(client)
    assert response.status_code == 500
    assert UNAVAILABLE not in response.get_data(as_text=True)
    assert "no default role: run `flask db upgrade`" in caplog.text


def test_register_answers_the_same_whether_username_or_email_is_taken(client, make_user):
    make_user("alice")
    username_taken = register(client, username="alice", email="fresh@example.com")
    email_taken = register(client, username="fresh", email="alice@example.com")

    def without_echo(response):
        # The only difference allowed: the username and email typed in, shown in the form.
        page = response.get_data(as_text=True)
        return re.sub(r'(name="(?:username|email)"[^>]*?value=)"[^"]*"', r"\1", page)

    assert username_taken.status_code == email_taken.status_code == 200
    assert UNAVAILABLE in username_taken.get_data(as_text=True)
    assert without_echo(username_taken) == without_echo(email_taken)


def test_register_race_on_unique_columns_is_a_form_error(app, client, make_user, monkeypatch):
    # Another request inserts the same user between the form's checks and our commit.
    make_user("alice")
    # Free when the form checks; taken when the view looks again after the failed insert.
    answers = iter([False, True])
    monkeypatch.setattr(RegistrationForm, "is_taken", lambda form: next(answers))
    response = register(client)
    assert response.status_code == 200
    assert UNAVAILABLE in response.get_data(as_text=True)


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    make_user("alice")
    wrong_password = client.post(
        "/auth/login", data={"email": "alice@example.com", "password": "not the password"}
    )
    unknown_email = client.post(
        "/auth/login", data={"email": "nobody@example.com", "password": "not the password"}
    )
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert INVALID_LOGIN in wrong_password.get_data(as_text=True)
    assert INVALID_LOGIN in unknown_email.get_data(as_text=True)
    assert "Logged in as" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email", ["alice@example.com", "nobody@example.com"])
def test_login_hashes_once_whether_or_not_the_email_exists(client, make_user, monkeypatch, email):
    make_user("alice")
    calls = []
    check = bcrypt.check_password_hash

    def counting_check(*args):
        calls.append(args)
        return check(*args)

    monkeypatch.setattr(bcrypt, "check_password_hash", counting_check)
    client.post("/auth/login", data={"email": email, "password": "not the password"})
    assert len(calls) == 1


@pytest.mark.parametrize("password", [PASSWORD, "not the password"])
def test_a_login_on_a_cheap_hash_also_spends_the_full_cost(
    app, client, make_user, monkeypatch, password
):
    # As the seeded admin before its first login: a hash below BCRYPT_LOG_ROUNDS must not
    # answer faster than an unknown email (which checks a dummy hash at full cost).
    alice = make_user("alice")  # hashed at the testing cost, 4
    app.config["BCRYPT_LOG_ROUNDS"] = 6
    costs = []
    check = bcrypt.check_password_hash

    def recording_check(pw_hash, candidate):
        pw_hash = pw_hash.decode() if isinstance(pw_hash, bytes) else pw_hash
        costs.append(int(pw_hash.split("$")[2]))
        return check(pw_hash, candidate)

    monkeypatch.setattr(bcrypt, "check_password_hash", recording_check)
    client.post("/auth/login", data={"email": alice.email, "password": password})
    assert 6 in costs


@pytest.mark.parametrize("email", ["alice@example.com", "nobody@example.com"])
def test_login_with_a_password_over_72_bytes_fails_cleanly(client, make_user, email):
    make_user("alice")
    response = client.post("/auth/login", data={"email": email, "password": "x" * 100})
    assert response.status_code == 200
    assert INVALID_LOGIN in response.get_data(as_text=True)


def test_login_rehashes_a_password_hashed_at_a_lower_cost(app, client, make_user):
    alice = make_user("alice")  # hashed at the testing cost, 4
    app.config["BCRYPT_LOG_ROUNDS"] = 5  # as when an operator raises the cost
    client.post("/auth/login", data={"email": alice.email, "password": PASSWORD})
    with app.app_context():
        rehashed = db.session.get(User, alice.id)
        assert rehashed.password_hash.startswith("$2b$05$")
        assert rehashed.verify_password(PASSWORD)
        assert not rehashed.password_needs_rehash()
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": alice.email, "password": PASSWORD})
    with app.app_context():  # at today's cost already: left alone
        assert db.session.get(User, alice.id).password_hash == rehashed.password_hash


def test_a_failed_login_never_rehashes(app, client, make_user):
    alice = make_user("alice")
    app.config["BCRYPT_LOG_ROUNDS"] = 5
    client.post("/auth/login", data={"email": alice.email, "password": "not the password"})
    with app.app_context():
        assert db.session.get(User, alice.id).password_hash == alice.password_hash


def test_remember_me_sets_a_cookie(client, make_user):
    user = make_user()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert client.get_cookie("remember_token") is None
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None


EVIL_NEXT = [
    "//evil.com",
    "////evil.com",
    "/\\evil.com",
    "/\\/evil.com",
    "https://evil.com",
    "http:/evil.com",
    "javascript:alert(1)",
    "/\t/evil.com",
    "/\n/evil.com",
    "/u/alice\x00",
    "/u/alice\x7f",
    "evil.com",
    "",
    None,
]


def test_logging_in_again_prefills_the_email_and_offers_no_registration(app, make_user):
    """A session from the remember-me cookie, sent to log in again by a sensitive page."""
    make_user("alice")
    first = app.test_client()
    first.post(
        "/auth/login", data={"email": "alice@example.com", "password": PASSWORD, "remember": "y"}
    )
    client = app.test_client()
    client.set_cookie("remember_token", first.get_cookie("remember_token").value)
    page = client.get("/auth/tokens", follow_redirects=True).get_data(as_text=True)
    assert "Please log in again" in page
    assert re.search(r'<input[^>]*id="email"[^>]*value="alice@example.com"', page)
    assert "New here?" not in page and "Register</a>" not in page
    # A visitor's login page is empty and offers registration.
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="email"[^>]*value=""', page) and "New here?" in page


@pytest.mark.parametrize("url", EVIL_NEXT)
def test_is_safe_next_rejects(url):
    assert not is_safe_next(url)


@pytest.mark.parametrize("url", ["/", "/u/alice", "/u/alice?before=x_1&limit=5", "/a//b"])
def test_is_safe_next_accepts_local_paths(url):
    assert is_safe_next(url)


@pytest.mark.parametrize("url", [url for url in EVIL_NEXT if url])
def test_login_ignores_an_unsafe_next(client, make_user, url):
    user = make_user()
    response = client.post(
        "/auth/login",
        query_string={"next": url},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_login_follows_a_safe_next(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login?next=/u/alice", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/u/alice"


def test_logout_needs_post(client, make_user, login):
    login(client, make_user())
    assert client.get("/auth/logout").status_code == 405
    assert "Logged in as" in client.get("/").get_data(as_text=True)
    assert client.post("/auth/logout").status_code == 302
    assert "Logged in as" not in client.get("/").get_data(as_text=True)


def test_logged_in_users_skip_login_and_register(client, make_user, login):
    login(client, make_user())
    assert client.get("/auth/login").location == "/"
    assert client.get("/auth/register").location == "/"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/auth/login", {"email": "alice@example.com", "password": PASSWORD}),
        ("/auth/register", {"username": "bob", "email": "bob@example.com"}),
        ("/auth/logout", {}),
        ("/messages", {"body": "hello"}),
        ("/messages/1/delete", {}),
        ("/auth/password", {"current": PASSWORD, "password": "x" * 20, "confirm": "x" * 20}),
        ("/admin/users/1/role", {"role": "Administrator"}),
    ],
)
def test_csrf_token_is_required(app, client, make_user, login, url, data):
    login(client, make_user())  # before CSRF is on, so the session has a user
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "The CSRF token is missing." in response.get_data(as_text=True)


def test_csrf_token_from_the_page_is_accepted(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "username",
    [
        "admin\n",  # `$` with re.match would accept the final newline
        "\u0430dmin",  # Cyrillic а
        "adm\u0131n",  # dotless ı
        "admin\u200b",  # zero-width space
    ],
)
def test_look_alikes_of_a_username_cannot_register(app, client, make_user, username):
    make_user("admin")
    response = register(client, username=username, email="mallory@example.com")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


@pytest.mark.parametrize("username", ["\uff41\uff44\uff4d\uff49\uff4e", "ADMIN", "Admin"])
def test_fullwidth_and_case_variants_count_as_the_same_name(app, client, make_user, username):
    make_user("admin")
    response = register(client, username=username, email="mallory@example.com")
    assert "That username or email cannot be used." in response.get_data(as_text=True)


def test_log_out_of_every_device_ends_other_sessions_and_remember_cookies(app, make_user, login):
    alice = make_user("alice")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, alice)
    elsewhere.post(
        "/auth/login", data={"email": alice.email, "password": PASSWORD, "remember": "y"}
    )
    remembered = elsewhere.get_cookie("remember_token").value
    assert "Log out of every device" in here.get("/auth/password").get_data(as_text=True)

    response = here.post("/auth/logout-everywhere")
    assert response.status_code == 302
    for client in (here, elsewhere):
        assert "Logged in as" not in client.get("/").get_data(as_text=True)
    stolen = app.test_client()  # a copy of the remember-me cookie taken before
    stolen.set_cookie("remember_token", remembered)
    assert "Logged in as" not in stolen.get("/").get_data(as_text=True)
    login(here, alice)  # the password still works
