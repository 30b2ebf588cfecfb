"""Fixtures for the template's tests."""

import shutil
import sys
import uuid

import pytest
from helpers import drop_database, generate, run, server_url


@pytest.fixture
def make_project(tmp_path):
    """Generate projects; server databases they create are dropped afterwards."""
    created = []

    def make(database="sqlite", **answers):
        if database != "sqlite":
            server_url(database)  # skip early (or fail in CI) when there is no server
            # A unique package, so its database never collides with another run's.
            answers.setdefault("package", f"board_{uuid.uuid4().hex[:8]}")
            created.append((database, answers["package"]))
        return generate(tmp_path, database=database, **answers)

    yield make
    for database, name in created:
        drop_database(database, name)


@pytest.fixture(scope="session")
def default_project(tmp_path_factory):
    """One project with every default answer, set up by the hook; shared, so treat it read-only."""
    return generate(tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="session")
def cookiecutter_only(tmp_path_factory):
    """The `cookiecutter` command of a Python with nothing else installed (like pipx's)."""
    tool = tmp_path_factory.mktemp("cookiecutter-only")
    python = tool / "bin" / "python"
    uv = shutil.which("uv")
    run([uv, "venv", "--quiet", "--python", sys.executable, str(tool)], tool)
    run([uv, "pip", "install", "--quiet", "--python", str(python), "cookiecutter"], tool)
    assert run([str(python), "-c", "import flask"], tool, check=False).returncode != 0
    return tool / "bin" / "cookiecutter"
