"""`flask users list | create | set-password | set-role | delete`, and the API token
commands `flask users token | tokens | revoke-token`."""

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import ApiToken, Message, User

from .helpers import PASSWORD

NEW_PASSWORD = "a brand new passphrase here"


@pytest.fixture
def users(app):
    """users("create", "bob", ...) -> the click Result of `flask users create bob ...`."""
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        return runner.invoke(args=["users", *args], input=input)

    return invoke


def get_user(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(username=username))
        if user is not None:
            db.session.refresh(user)
            user.role  # noqa: B018 - load the role before the session closes
        return user


def assert_one_line_error(result, text):
    assert result.exit_code == 1, result.output
    assert text in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "Traceback" not in result.output


def test_list_shows_users_roles_and_message_counts(app, users, make_user):
    assert users("list").output.strip() == "No users."
    alice = make_user("alice")
    make_user("bob", role="Moderator")
    with app.app_context():
        db.session.add_all([Message(body="hi", author_id=alice.id) for _ in range(3)])
        db.session.commit()

    result = users("list")
    assert result.exit_code == 0, result.output
    header, first, second = result.output.strip().splitlines()
    assert header.split()[:5] == ["id", "username", "email", "role", "messages"]
    assert first.split()[1:5] == ["alice", "alice@example.com", "User", "3"]
    assert second.split()[1:5] == ["bob", "bob@example.com", "Moderator", "0"]


def test_create_with_prompted_password_hides_it(app, users):
    result = users(
        "create", "carol", "Carol@Example.com", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output  # not echoed
    assert "Repeat for confirmation" in result.output
    carol = get_user(app, "carol")
    assert carol.email == "carol@example.com" and carol.role.name == "User"
    assert carol.verify_password(NEW_PASSWORD)


def test_create_with_password_option_and_role(app, users):
    result = users(
        "create", "dave", "dave@example.com", "--role", "moderator", "--password", PASSWORD
    )
    assert result.exit_code == 0, result.output
    assert "Created dave <dave@example.com> (Moderator)" in result.output
    assert get_user(app, "dave").role.name == "Moderator"


def test_create_rejects_mismatched_confirmation(app, users):
    result = users("create", "erin", "erin@example.com", input=f"{PASSWORD}\nsomething else\n\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert get_user(app, "erin") is None


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["alice", "other@example.com"], "username 'alice' is taken"),
        (["ALICE", "other@example.com"], "username 'ALICE' is taken"),
        (["zed", "Alice@example.com"], "email 'alice@example.com' is already registered"),
        (["zed", "not-an-email"], "invalid email 'not-an-email'"),
        (["a b", "zed@example.com"], "invalid username"),
        (["zed", "zed@example.com", "--role", "Overlord"], "no role 'Overlord'"),
        (["zed", "zed@example.com", "--password", "short"], "Use at least 15 characters"),
        (["zed", "zed@example.com", "--password", "é" * 40], "Use at most 72 bytes"),
        (["zed", "zed@example.com", "--password", "PasswordPassword"], "most common ones"),
        (["zed", "zed@example.com", "--password", "qwertyqwertyqwerty"], "harder to guess"),
    ],
)
def test_create_errors_are_one_line(app, users, make_user, args, error):
    make_user("alice")
    if "--password" not in args:
        args = [*args, "--password", PASSWORD]
    result = users("create", *args)
    assert_one_line_error(result, error)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_password_minimum_follows_the_setting(app, users):
    app.config["PASSWORD_MIN_LENGTH"] = 9
    result = users("create", "fred", "fred@example.com", "--password", "plum tree")
    assert result.exit_code == 0, result.output


def test_set_password_by_username_or_email(app, users, make_user):
    make_user("alice")
    result = users("set-password", "Alice", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    assert get_user(app, "alice").verify_password(NEW_PASSWORD)

    result = users("set-password", "ALICE@example.com", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert get_user(app, "alice").verify_password(PASSWORD)


def test_set_password_errors(app, users, make_user):
    make_user("alice")
    assert_one_line_error(users("set-password", "nobody", "--password", PASSWORD), "no user")
    assert_one_line_error(users("set-password", "alice", "--password", "short"), "at least 15")
    assert get_user(app, "alice").verify_password(PASSWORD)


def test_set_role(app, users, make_user):
    make_user("alice")
    result = users("set-role", "alice", "Administrator")
    assert result.exit_code == 0, result.output
    assert get_user(app, "alice").is_administrator
    assert_one_line_error(users("set-role", "alice", "Boss"), "no role 'Boss'")
    assert_one_line_error(users("set-role", "nobody", "User"), "no user 'nobody'")
    assert get_user(app, "alice").is_administrator


def test_delete_asks_and_takes_the_messages_along(app, users, make_user):
    alice = make_user("alice")
    bob = make_user("bob")
    with app.app_context():
        db.session.add_all(
            [Message(body="a", author_id=alice.id), Message(body="b", author_id=bob.id)]
        )
        db.session.commit()

    refused = users("delete", "alice", input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert get_user(app, "alice") is not None

    result = users("delete", "alice", input="y\n")
    assert result.exit_code == 0, result.output
    assert "and their 1 message(s)?" in result.output
    assert get_user(app, "alice") is None
    with app.app_context():
        assert db.session.scalars(sa.select(Message.author_id)).all() == [bob.id]


def test_delete_with_yes_does_not_ask(app, users, make_user):
    make_user("alice")
    result = users("delete", "alice@example.com", "--yes")
    assert result.exit_code == 0, result.output
    assert "?" not in result.output
    assert get_user(app, "alice") is None
    assert_one_line_error(users("delete", "alice", "--yes"), "no user 'alice'")


def token_names(app):
    with app.app_context():
        return db.session.scalars(sa.select(ApiToken.name).order_by(ApiToken.id)).all()


def test_token_prints_the_token_once_and_stores_its_hash(app, users, make_user):
    make_user("alice")
    result = users("token", "alice", "--name", "laptop")
    assert result.exit_code == 0, result.output
    secret = result.output.split()[-1]
    assert secret.startswith(ApiToken.PREFIX)
    assert "shown only this once" in result.output
    with app.app_context():
        token = db.session.scalar(sa.select(ApiToken))
        assert token.user.username == "alice" and token.name == "laptop"
        assert token.token_hash == ApiToken.hash(secret) != secret
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/messages", headers=headers).status_code == 200


def test_token_errors_are_one_line(app, users, make_user):
    make_user("alice")
    users("token", "alice", "--name", "laptop")
    assert_one_line_error(users("token", "nobody", "--name", "x"), "no user 'nobody'")
    assert_one_line_error(users("token", "alice", "--name", "LAPTOP"), "already has a token")
    assert_one_line_error(users("token", "alice", "--name", " "), "invalid name")
    assert_one_line_error(users("token", "alice", "--name", "x" * 65), "invalid name")
    assert token_names(app) == ["laptop"]


def test_tokens_lists_names_and_use_never_the_tokens(app, users, make_user):
    make_user("alice")
    assert users("tokens", "alice").output.strip() == "alice has no API tokens."
    secret = users("token", "alice", "--name", "laptop").output.split()[-1]
    users("token", "alice", "--name", "backup")

    result = users("tokens", "alice@example.com")
    assert result.exit_code == 0, result.output
    header, first, second = result.output.strip().splitlines()
    assert header.split()[:3] == ["id", "name", "created"]
    assert first.split()[1] == "laptop" and first.endswith("never")
    assert second.split()[1] == "backup"
    assert secret not in result.output
    assert_one_line_error(users("tokens", "nobody"), "no user 'nobody'")


def test_revoke_token_by_user_and_name(app, users, make_user):
    make_user("alice")
    make_user("bob")
    secret = users("token", "alice", "--name", "laptop").output.split()[-1]
    users("token", "bob", "--name", "laptop")

    assert_one_line_error(users("revoke-token", "alice", "phone"), "no token named 'phone'")
    result = users("revoke-token", "alice", "Laptop")
    assert result.exit_code == 0, result.output
    assert "Revoked the token 'laptop' of alice." in result.output
    assert token_names(app) == ["laptop"]  # bob's
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/messages", headers=headers).status_code == 401


def test_delete_takes_the_tokens_along(app, users, make_user):
    make_user("alice")
    make_user("bob")
    users("token", "alice", "--name", "laptop")
    users("token", "bob", "--name", "laptop")
    with app.app_context():  # as on a database that does not enforce ON DELETE CASCADE
        db.session.execute(sa.text("PRAGMA foreign_keys=OFF"))
    assert users("delete", "alice", "--yes").exit_code == 0
    with app.app_context():
        owners = db.session.scalars(sa.select(ApiToken.user_id)).all()
    assert owners == [get_user(app, "bob").id]


@pytest.mark.parametrize(
    ("command", "action"),
    [
        (("set-role", "boss", "User"), "make them User"),
        (("delete", "boss", "--yes"), "delete them"),
    ],
)
def test_the_last_administrator_cannot_be_demoted_or_deleted(
    app, users, make_user, command, action
):
    make_user("boss", role="Administrator")
    assert_one_line_error(users(*command), "boss is the last administrator")
    assert users(*command).output.strip().endswith(f"before you {action}")
    assert get_user(app, "boss").role.name == "Administrator"
    make_user("deputy", role="Administrator")  # with a second one, it is fine
    assert users(*command).exit_code == 0


def test_a_username_with_a_newline_finds_nobody(app, users, make_user):
    make_user("admin", role="Administrator")
    make_user("deputy", role="Administrator")
    assert_one_line_error(users("delete", "admin\n", "--yes"), "no user")
    assert get_user(app, "admin") is not None
    assert_one_line_error(
        users("create", "admin\n", "x@example.com", "--password", NEW_PASSWORD), "invalid username"
    )
