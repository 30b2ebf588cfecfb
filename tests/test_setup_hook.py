"""The post-gen hook: idempotent, never loses the project, works without Flask installed."""

import importlib.util
import io
import shutil
import sqlite3
import sys

import sqlalchemy as sa
from helpers import TEMPLATE, flask, generate, run, server_url


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


def test_python_with_only_cookiecutter_gets_a_virtualenv(tmp_path):
    """pipx / `uv tool` style: the Python running cookiecutter has no Flask at all."""
    tool = tmp_path / "tool"
    python, cookiecutter = tool / "bin" / "python", tool / "bin" / "cookiecutter"
    uv = shutil.which("uv")
    run([uv, "venv", "--quiet", "--python", sys.executable, str(tool)], tmp_path)
    run([uv, "pip", "install", "--quiet", "--python", str(python), "cookiecutter"], tmp_path)
    assert run([str(python), "-c", "import flask"], tmp_path, check=False).returncode != 0

    out = run(
        [str(cookiecutter), "--no-input", str(TEMPLATE), "-o", str(tmp_path)], tmp_path
    ).stdout
    project = tmp_path / "message-board"

    assert "created .venv" in out and "installed the project" in out
    assert "Admin account: you@example.com / " in out
    assert "source .venv/bin/activate" in out.split("Next steps:")[1]
    flask = [str(project / ".venv" / "bin" / "flask")]
    run(flask + ["db", "check"], project)
    assert "0002 (head)" in run(flask + ["db", "current"], project).stdout


def test_setup_recreates_a_deleted_migrations_folder(make_project):
    """init recreates it, migrate writes the initial revision, upgrade applies it."""
    project = make_project(run_setup=False)
    shutil.rmtree(project / "migrations")

    out = flask(project, "setup").stdout

    assert "migrations/ was missing" in out and "wrote and applied" in out
    assert len(list((project / "migrations" / "versions").glob("*.py"))) == 1
    flask(project, "db", "check")


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


def load_hook():
    """The hook as a module (its cookiecutter context is only parsed in main())."""
    spec = importlib.util.spec_from_file_location(
        "hook", TEMPLATE / "hooks" / "post_gen_project.py"
    )
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


class Terminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self):
        return True


def test_step_lines_are_plain_unless_on_a_terminal(monkeypatch):
    hook = load_hook()
    monkeypatch.delenv("NO_COLOR", raising=False)
    plain = hook.step_line("database", "ok", "created board", 0.123, stream=io.StringIO())
    assert plain == "  database ok      created board  (0.12s)"
    failed = hook.step_line("database", "FAILED", "refused", stream=io.StringIO())
    assert failed == "  database FAILED  refused"

    coloured = hook.step_line("database", "ok", "created board", 0.123, stream=Terminal())
    assert (
        coloured == "\033[32m\u2713\033[0m database \033[32mok\033[0m      created board  (0.12s)"
    )
    assert "\033[31mFAILED\033[0m" in hook.step_line("x", "FAILED", "no", stream=Terminal())

    monkeypatch.setenv("NO_COLOR", "1")
    assert hook.step_line("database", "FAILED", "refused", stream=Terminal()) == (
        "\u2717 database FAILED  refused"
    )


def test_finished_setup_prints_next_steps(tmp_path, capfd):
    project = generate(tmp_path)
    out = capfd.readouterr().out
    next_steps = out.split("Next steps:")[1]
    assert f"cd {project}" in next_steps and "flask run" in next_steps
    assert "activate" not in next_steps  # set up in this Python: no virtualenv made
    assert "you@example.com (password shown above)" in next_steps
    assert "instance/message_board.db (SQLite)" in next_steps


def test_next_steps_hide_a_server_password(tmp_path, monkeypatch):
    hook = load_hook()
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app:s3cret@db.example:5432/board")
    text = hook.next_steps(tmp_path, "a@example.com", used_venv=True, password=None)
    assert "postgresql+psycopg://app:***@db.example:5432/board" in text and "s3cret" not in text
    assert "source .venv/bin/activate" in text
    assert "a@example.com (password printed when it was created)" in text
