"""`flask setup`, `flask seed` and `flask shell`'s context."""

import re

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import code_heads
from {{ cookiecutter.package }}.models import Message, Role, User
from {{ cookiecutter.package }}.rendering import render_markdown


@pytest.fixture
def file_app(tmp_path):
    """An app on an empty SQLite file: `flask setup` migrates it for real."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'cli.db'}")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_setup_migrates_seeds_and_is_safe_to_run_again(file_app):
    runner = file_app.test_cli_runner()

    first = runner.invoke(args=["setup", "--admin-email", "boss@example.com"])
    assert first.exit_code == 0, first.output
    with file_app.app_context():
        heads = ", ".join(sorted(code_heads()))
    assert f"empty database -> {heads}" in first.output
    assert "models match the migrations" in first.output
    password = re.search(r"boss@example\.com / (\S+)", first.output)[1]

    second = runner.invoke(args=["setup", "--admin-email", "boss@example.com"])
    assert second.exit_code == 0, second.output
    assert "already at head" in second.output and "already exists" in second.output
    assert "Admin account" not in second.output

    with file_app.app_context():
        (admin,) = db.session.scalars(sa.select(User)).all()
        assert admin.email == "boss@example.com" and admin.is_administrator
        assert admin.verify_password(password)


def test_setup_failure_exits_non_zero_with_the_step_that_failed(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'no' / 'x.db'}")
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 1
    assert "Setup stopped: database failed" in result.output


def test_seed_adds_admins_and_is_safe_to_repeat(file_app):
    runner = file_app.test_cli_runner()
    assert runner.invoke(args=["setup", "--admin-email", "boss@example.com"]).exit_code == 0
    for _ in range(2):
        result = runner.invoke(args=["seed", "--admin-email", "Other@Example.com"])
        assert result.exit_code == 0, result.output
    assert "admin other@example.com already exists" in result.output

    with file_app.app_context():
        users = db.session.execute(sa.select(User.username, User.email).order_by(User.id))
        assert users.all() == [("admin", "boss@example.com"), ("admin2", "other@example.com")]


def test_seed_says_what_to_give(file_app):
    result = file_app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 2 and "--admin-email" in result.output


def test_shell_has_db_and_models(file_app):
    with file_app.app_context():
        context = file_app.make_shell_context()
    assert context["db"] is db
    assert (context["User"], context["Role"], context["Message"]) == (User, Role, Message)


def test_the_seeded_admin_hash_is_cheap_until_the_first_login(file_app):
    # The generated admin password is random (128 bits): hashed at bcrypt's minimum cost
    # to keep project generation fast, then stored at BCRYPT_LOG_ROUNDS on first login.
    file_app.config["BCRYPT_LOG_ROUNDS"] = 6
    result = file_app.test_cli_runner().invoke(args=["setup", "--admin-email", "a@example.com"])
    password = re.search(r"a@example\.com / (\S+)", result.output)[1]
    assert len(password) >= 22  # token_urlsafe(16)
    with file_app.app_context():
        assert db.session.scalar(sa.select(User.password_hash)).startswith("$2b$04$")
    file_app.test_client().post(
        "/auth/login", data={"email": "a@example.com", "password": password}
    )
    with file_app.app_context():
        assert db.session.scalar(sa.select(User.password_hash)).startswith("$2b$06$")


def test_seed_demo_adds_messages_in_time_order_by_demo_users(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "--demo", "2500", "--users", "30"])
    assert result.exit_code == 0, result.output
    assert "2,500 demo messages by 30 demo users" in result.output

    with app.app_context():
        messages = db.session.execute(
            sa.select(Message.id, Message.created_at, Message.author_id).order_by(Message.id)
        ).all()
        assert len(messages) == 2500
        times = [message.created_at for message in messages]
        assert times == sorted(times) and len(set(times)) == 2500  # ids follow time
        authors = {message.author_id for message in messages}
        assert len(authors) == 30
        users = db.session.scalars(sa.select(User)).all()
        assert len(users) == 30
        assert all(user.email.endswith("@demo.invalid") for user in users)
        assert all(user.role.name == "User" for user in users)


def test_demo_messages_show_on_the_board_rendered(app):
    """The bulk INSERTs bypass the validator that renders a body: they render it too."""
    assert app.test_cli_runner().invoke(args=["seed", "--demo", "30"]).exit_code == 0
    with app.app_context():
        pairs = db.session.execute(sa.select(Message.body, Message.body_html)).all()
    assert all(html == render_markdown(body) for body, html in pairs)
    page = app.test_client().get("/").get_data(as_text=True)
    assert f'<div class="message-body">{pairs[-1].body_html}</div>' in page


def test_seed_demo_runs_again_without_name_clashes(app, make_user):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["seed", "--demo", "50", "--users", "40"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 80
        assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 100


def test_seed_demo_defaults_to_one_user_per_100_messages(app):
    result = app.test_cli_runner().invoke(args=["seed", "--demo", "3000"])
    assert result.exit_code == 0, result.output
    assert "by 30 demo users" in result.output


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (["--demo", "0"], "0 is not in the range x>=1"),
        (["--demo", "many"], "'many' is not a valid integer"),
        (["--users", "5"], "--users only goes with --demo N"),
    ],
)
def test_seed_demo_rejects_bad_numbers(app, arguments, error):
    result = app.test_cli_runner().invoke(args=["seed", *arguments])
    assert result.exit_code == 2
    assert error in result.output


def test_the_board_pages_through_demo_data(app, client):
    app.test_cli_runner().invoke(args=["seed", "--demo", "120", "--users", "10"])
    shown, url = [], "/?limit=50"
    while url:
        page = client.get(url).get_data(as_text=True)
        shown.append(page.count('class="message-body"'))
        older = re.search(r'href="(/\?before=[^"]+)"', page)
        url = older[1].replace("&amp;", "&") if older else None
    assert shown == [50, 50, 20]
