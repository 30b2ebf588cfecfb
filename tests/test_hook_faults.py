"""Faults around generation: a clear message, and nothing the user has is lost."""

import pytest
from cookiecutter.exceptions import OutputDirExistsException
from helpers import TEMPLATE, generate, run

# Nothing listens on port 9 of loopback: every package index request is refused at once.
REFUSING_INDEX = "http://127.0.0.1:9/simple"


def test_failed_install_keeps_the_project_and_prints_the_commands(cookiecutter_only, tmp_path):
    offline = {
        "PIP_INDEX_URL": REFUSING_INDEX,
        "UV_INDEX_URL": REFUSING_INDEX,
        "UV_DEFAULT_INDEX": REFUSING_INDEX,
        "UV_NO_CACHE": "1",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_RETRIES": "0",
    }
    command = [str(cookiecutter_only), "--no-input", str(TEMPLATE), "-o", str(tmp_path)]
    out = run(command, tmp_path, env=offline).stdout  # exit code 0, or run() fails the test

    project = tmp_path / "message-board"
    assert "install   FAILED" in out
    assert "Your project is complete and kept" in out
    assert '.venv/bin/python -m pip install -e ".[dev]"' in out
    assert (project / "pyproject.toml").is_file() and (project / ".env").is_file()
    assert (project / "migrations" / "versions" / "0001_initial.py").is_file()


def test_existing_folder_is_left_untouched(tmp_path):
    project = generate(tmp_path, run_setup=False)
    (project / "notes.txt").write_text("mine")
    models = (project / "message_board" / "models.py").read_text()

    with pytest.raises(OutputDirExistsException):
        generate(tmp_path, run_setup=False)

    assert (project / "notes.txt").read_text() == "mine"
    assert (project / "message_board" / "models.py").read_text() == models
