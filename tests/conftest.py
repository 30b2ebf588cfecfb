"""Fixtures for the template's tests."""

import json
import sys
import uuid

import pytest
from helpers import drop_database, generate, run, server_url


@pytest.fixture(scope="session", autouse=True)
def cookiecutter_home(tmp_path_factory):
    """Cookiecutter's user config for every run in the session (helpers.generate, the
    `cookiecutter` command, cruft), with its clones and replay files in here (cookiecutters/,
    replay/): the developer's ~/.cookiecutterrc and ~/.cookiecutter_replay stay out of it."""
    home = tmp_path_factory.mktemp("cookiecutter-home")
    config = home / "config.yaml"
    config.write_text(
        f"cookiecutters_dir: {json.dumps(str(home / 'cookiecutters'))}\n"
        f"replay_dir: {json.dumps(str(home / 'replay'))}\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("COOKIECUTTER_CONFIG", str(config))
        yield home


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
    """The `cookiecutter` command of a Python with nothing else installed (like pipx's).
    Run it with --no-input; it reads the session's config from COOKIECUTTER_CONFIG."""
    tool = tmp_path_factory.mktemp("cookiecutter-only")
    python = tool / "bin" / "python"
    uv = [sys.executable, "-m", "uv"]  # found without an activated virtualenv too
    run([*uv, "venv", "--quiet", "--python", sys.executable, str(tool)], tool)
    run([*uv, "pip", "install", "--quiet", "--python", str(python), "cookiecutter"], tool)
    assert run([str(python), "-c", "import flask"], tool, check=False).returncode != 0
    return tool / "bin" / "cookiecutter"
