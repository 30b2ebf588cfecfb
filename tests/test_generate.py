"""Generating projects: every answer renders, lints clean, and the hook sets the database up."""

import re
import sqlite3
import sys
from pathlib import Path

import pytest
from helpers import DATABASES, TEMPLATE, flask, project_files, run, workflow_checks


def test_defaults_generate_a_migrated_seeded_project(default_project):
    assert default_project.name == "message-board"
    assert (default_project / "message_board" / "__init__.py").is_file()
    env = (default_project / ".env").read_text()
    assert re.search(r"^SECRET_KEY=[0-9a-f]{64}$", env, re.MULTILINE)
    # `flask run` with the debugger and the reloader (tested in the project's test_config.py).
    assert {"FLASK_CONFIG=development", "FLASK_DEBUG=1"} <= set(env.splitlines())

    database = sqlite3.connect(default_project / "instance" / "message_board.db")
    # SQLite's own tables (sqlite_sequence, for AUTOINCREMENT) are not the project's.
    query = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    tables = {row[0] for row in database.execute(query)}
    assert tables == {
        "alembic_version",
        "roles",
        "users",
        "messages",
        "api_tokens",
        "mail_outbox",
        "idempotency_keys",
        "board_version",
    }
    (head,) = flask(default_project, "db", "heads").stdout.split()[:1]
    assert database.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
    roles = {row[0] for row in database.execute("SELECT name FROM roles")}
    assert roles == {"User", "Moderator", "Administrator"}
    admin = database.execute(
        "SELECT r.name FROM users u JOIN roles r ON r.id = u.role_id WHERE u.email = ?",
        ("you@example.com",),
    ).fetchall()
    assert admin == [("Administrator",)]

    # Setup wrote no revision: only the shipped ones are there.
    def versions(project):
        return sorted(path.name for path in (project / "migrations" / "versions").glob("*.py"))

    assert versions(default_project) == versions(TEMPLATE / "{{cookiecutter.project}}")
    flask(default_project, "db", "check")


def test_secret_key_is_only_in_dotenv(default_project, cookiecutter_home):
    """Made by the hook, so it never passes through cookiecutter's context or replay file."""
    secret = re.search(r"^SECRET_KEY=(\w+)$", (default_project / ".env").read_text(), re.M)[1]
    replays = list((cookiecutter_home / "replay").glob("*.json"))
    assert replays
    for path in project_files(default_project) + replays:
        if path.name != ".env":
            assert secret not in path.read_text(errors="ignore"), path


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("run_setup", [True, False])
def test_every_answer_renders_clean_code(make_project, database, run_setup):
    project = make_project(database=database, run_setup=run_setup)

    for path in project_files(project):
        text = path.read_text(errors="ignore")
        assert "cookiecutter." not in text, f"unrendered placeholder in {path}"
    pyproject = (project / "pyproject.toml").read_text()
    driver = {"sqlite": None, "postgresql": "psycopg[binary]", "mysql": "PyMySQL"}[database]
    if driver:
        assert f'"{driver}' in pyproject
    assert database in (project / ".env.example").read_text().split("DATABASE_URL=")[1]
    # The generated workflow's lint and format checks (its tests: test_generated_project).
    for check in workflow_checks(project):
        if "pytest" not in check:
            run(check, cwd=project)


def test_setup_off_installs_and_migrates_nothing(make_project):
    project = make_project(run_setup=False)
    assert not (project / ".venv").exists()
    assert not (project / "instance").exists()
    assert (project / ".env").is_file()  # cheap and local: written anyway


def test_non_ascii_name_gives_ascii_folder_and_package(make_project):
    project = make_project(project_name="留言板", run_setup=False)
    assert project.name == "liu-yan-ban"
    assert (project / "liu_yan_ban" / "__init__.py").is_file()
    assert (project / "README.md").read_text().startswith("# 留言板")


def test_the_language_answer_is_the_sites_default(make_project, tmp_path):
    project = make_project(language="zh_Hans", run_setup=False)
    assert "BABEL_DEFAULT_LOCALE=zh_Hans" in (project / ".env").read_text().splitlines()
    # The compiled catalogue is binary: copied byte for byte, never rendered.
    mo = Path("translations", "zh_Hans", "LC_MESSAGES", "messages.mo")
    shipped = TEMPLATE / "{{cookiecutter.project}}" / "{{cookiecutter.package}}" / mo
    assert (project / "message_board" / mo).read_bytes() == shipped.read_bytes()
    # A browser that asks for no language gets the Chinese page (the migration guard's:
    # the database is empty), with no BABEL_DEFAULT_LOCALE in the environment.
    script = (
        "from message_board import create_app; print(create_app().test_client().get('/').text)"
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    page = run([sys.executable, "-c", script], cwd=project, env=env).stdout
    assert '<html lang="zh-Hans">' in page and "暂不可用" in page
