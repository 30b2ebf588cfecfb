"""The post-gen hook: idempotent, never loses the project, works without Flask installed."""

import shutil
import sqlite3
import uuid
from pathlib import PureWindowsPath

import pytest
import sqlalchemy as sa
from helpers import TEMPLATE, drop_database, flask, generate, load_hook, run, server_url


def test_running_the_setup_again_keeps_data_and_secrets(tmp_path, capfd):
    project = generate(tmp_path)
    env_before = (project / ".env").read_text()
    database = project / "instance" / "message_board.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO messages (body, created_at, author_id) "
            "SELECT 'still here', '2026-01-01 00:00:00', id FROM users"
        )
    capfd.readouterr()

    generate(tmp_path, overwrite_if_exists=True)

    out = capfd.readouterr().out
    assert ".env exists, kept" in out and "already at head" in out and "already exists" in out
    assert "Admin account:" not in out  # the password of an existing admin is nowhere to print
    assert "flask users set-password you@example.com" in out.split("Next steps:")[1]
    assert (project / ".env").read_text() == env_before
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT body FROM messages").fetchall() == [("still here",)]
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (1,)


def test_unreachable_database_keeps_the_project_and_says_how_to_finish(
    tmp_path, capfd, monkeypatch
):
    # Nothing listens on port 1: the connection is refused at once.
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/board")
    project = generate(tmp_path, database="postgresql")

    out = capfd.readouterr().out
    assert "database FAILED" in out.replace("  ", " ").replace("  ", " ")
    assert "Your project is complete and kept" in out
    assert f"cd {project}" in out and "flask setup --admin-email you@example.com" in out
    assert (project / "pyproject.toml").is_file() and (project / ".env").is_file()


def test_python_with_only_cookiecutter_gets_a_virtualenv(cookiecutter_only, tmp_path):
    """pipx / `uv tool` style: the Python running cookiecutter has no Flask at all."""
    out = run(
        [str(cookiecutter_only), "--no-input", str(TEMPLATE), "-o", str(tmp_path)], tmp_path
    ).stdout
    project = tmp_path / "message-board"

    assert "created .venv" in out and "installed the project" in out
    assert "Admin account: you@example.com / " in out  # printed by `flask setup` in .venv
    next_steps = out.split("Next steps:")[1]
    assert "source .venv/bin/activate" in next_steps
    assert "shown above" not in next_steps  # the hook never saw that password
    flask = [str(project / ".venv" / "bin" / "flask")]
    run(flask + ["db", "check"], project)
    assert "(head)" in run(flask + ["db", "current"], project).stdout
    # The README's `pre-commit install` works: pre-commit comes with ".[dev]".
    run(["git", "init", "-q"], project)
    run([str(project / ".venv" / "bin" / "pre-commit"), "install"], project)
    assert (project / ".git" / "hooks" / "pre-commit").is_file()


def test_setup_never_recreates_a_deleted_migrations_folder(make_project):
    """Reviewed revisions cannot be made up again: setup says where to get them back."""
    project = make_project(run_setup=False)
    shutil.rmtree(project / "migrations")

    result = flask(project, "setup", check=False)

    assert result.returncode == 1
    assert "restore it from version control" in result.stdout
    assert not (project / "migrations").exists()


def test_missing_database_without_the_right_to_create_it_says_what_to_ask_for(
    tmp_path, capfd, monkeypatch
):
    admin = sa.create_engine(server_url("postgresql"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = 'nocreatedb'"))
        if not exists:
            connection.exec_driver_sql("CREATE ROLE nocreatedb LOGIN NOCREATEDB")
    admin.dispose()
    url = sa.make_url(server_url("postgresql")).set(username="nocreatedb", database="board_x")
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))

    project = generate(tmp_path, database="postgresql")

    out = capfd.readouterr().out
    assert "database board_x does not exist and could not be created" in out
    assert "ask an administrator to run: CREATE DATABASE board_x" in out
    assert (project / ".env").is_file()


def test_finished_setup_prints_next_steps(tmp_path, capfd):
    project = generate(tmp_path)
    out = capfd.readouterr().out
    next_steps = out.split("Next steps:")[1]
    assert f"cd {project}" in next_steps and "flask run" in next_steps
    assert "activate" not in next_steps  # set up in this Python: no virtualenv made
    assert "you@example.com (password shown above)" in next_steps
    assert "instance/message_board.db (SQLite)" in next_steps


def test_next_steps_hide_a_server_password(tmp_path, monkeypatch):
    hook = load_hook("post_gen_project")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app:s3cret@db.example:5432/board")
    text = hook.next_steps(tmp_path, "a@example.com", in_venv=True, password=None)
    assert "postgresql+psycopg://app:***@db.example:5432/board" in text and "s3cret" not in text
    assert "source .venv/bin/activate" in text


def test_next_steps_never_claim_a_password_the_hook_did_not_print(tmp_path):
    hook = load_hook("post_gen_project")
    shown = hook.next_steps(tmp_path, "a@example.com", in_venv=False, password="pw")
    assert "a@example.com (password shown above)" in shown
    # Set up in .venv, or the account existed: `flask setup` printed it there, or long ago.
    unseen = hook.next_steps(tmp_path, "a@example.com", in_venv=True, password=None)
    assert "shown above" not in unseen and "printed when it was created" not in unseen
    assert "a@example.com (setup printed its password once, on creation)" in unseen
    assert "flask users set-password a@example.com" in unseen


@pytest.mark.parametrize(
    ("windows", "python", "activate"),
    [
        (False, ".venv/bin/python", "source .venv/bin/activate"),
        (True, ".venv\\Scripts\\python.exe", ".venv\\Scripts\\activate"),
    ],
)
def test_commands_for_the_user_follow_the_virtualenv_layout(
    tmp_path, monkeypatch, windows, python, activate
):
    hook = load_hook("post_gen_project")
    monkeypatch.setattr(hook, "WINDOWS", windows)
    if windows:  # paths as Windows writes them, on any system
        monkeypatch.setattr(hook, "Path", PureWindowsPath)
    commands = hook.finish_commands(tmp_path, "a@example.com", in_venv=True)
    assert f'{python} -m pip install -e ".[dev]"' in commands
    assert f"{python} -m flask setup --admin-email a@example.com" in commands
    assert activate in hook.next_steps(tmp_path, "a@example.com", in_venv=True, password=None)


def test_the_database_url_used_at_generation_stays_the_projects(tmp_path, monkeypatch):
    """The hook sets up the database DATABASE_URL names; a new shell must reach it too."""
    name = f"board_url_{uuid.uuid4().hex[:8]}"
    url = sa.make_url(server_url("postgresql")).set(database=name)
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    try:
        project = generate(tmp_path, database="postgresql")
        monkeypatch.delenv("DATABASE_URL")  # a new shell: only .env says where the data is
        assert f"/{name}" in (project / ".env").read_text()
        assert "(head)" in flask(project, "db", "current").stdout
    finally:
        drop_database("postgresql", name)
