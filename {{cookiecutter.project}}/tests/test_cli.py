"""`flask setup`, `flask seed` and `flask shell`'s context."""

import re

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import Message, Permission, Role, User


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
    assert "empty database -> 0001" in first.output
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
    assert "Setup stopped: upgrade failed" in result.output


def test_seed_restores_roles_and_is_idempotent(file_app):
    runner = file_app.test_cli_runner()
    assert runner.invoke(args=["setup"]).exit_code == 0
    with file_app.app_context():
        moderator = db.session.scalar(sa.select(Role).filter_by(name="Moderator"))
        moderator.permissions = 0
        db.session.commit()

    for _ in range(2):
        result = runner.invoke(args=["seed"])
        assert result.exit_code == 0, result.output

    with file_app.app_context():
        roles = {role.name: role for role in db.session.scalars(sa.select(Role))}
        assert set(roles) == {"User", "Moderator", "Administrator"}
        assert roles["Moderator"].has_permission(Permission.MODERATE)
        assert [name for name, role in roles.items() if role.default] == ["User"]


def test_shell_has_db_and_models(file_app):
    with file_app.app_context():
        context = file_app.make_shell_context()
    assert context["db"] is db
    assert (context["User"], context["Role"], context["Message"]) == (User, Role, Message)
