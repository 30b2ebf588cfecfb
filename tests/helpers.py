"""Helpers for the template's tests: generate real projects, run commands in them.
The benchmarks import the server helpers from here too."""

import importlib.util
import os
import shlex
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parents[1]


def load_hook(name):
    """hooks/<name>.py as a module, unrendered: the hooks parse their Jinja placeholder only
    in main(), so everything else can be imported and called."""
    spec = importlib.util.spec_from_file_location(name, TEMPLATE / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Every `database` answer the template accepts, the default first: the pre-gen hook's list,
# which is what checks the answer (cookiecutter.json's default is its first item).
DATABASES = load_hook("pre_gen_project").DATABASES
SERVER_DATABASES = tuple(database for database in DATABASES if database != "sqlite")

# Servers the tests use: admin URLs that may create databases, and a Redis database.
SERVER_VARIABLES = {
    "postgresql": "TEST_POSTGRESQL_URL",
    "mysql": "TEST_MYSQL_URL",
    "redis": "TEST_REDIS_URL",
}

# The generated project's GitHub workflow, relative to the project.
WORKFLOW = Path(".github", "workflows", "tests.yml")


def generate(output_dir, overwrite_if_exists=False, **answers):
    """Run cookiecutter on this template with --no-input, as a user would, with the test
    session's own cookiecutter config (conftest's cookiecutter_home sets COOKIECUTTER_CONFIG)."""
    path = cookiecutter(
        str(TEMPLATE),
        no_input=True,
        extra_context=answers,
        output_dir=str(output_dir),
        overwrite_if_exists=overwrite_if_exists,
        config_file=os.environ["COOKIECUTTER_CONFIG"],
    )
    return Path(path)


def project_files(project):
    """The files of a generated project, without what running it leaves behind."""
    skip = {".venv", "instance", "__pycache__", ".pytest_cache", ".ruff_cache"}
    return [
        path
        for path in project.rglob("*")
        if path.is_file() and not skip.intersection(path.relative_to(project).parts)
    ]


def server_url(database):
    """The admin URL of the server for `database`, or skip (never in CI)."""
    variable = SERVER_VARIABLES[database]
    if os.environ.get(variable):
        return os.environ[variable]
    if os.environ.get("CI") == "true":
        pytest.fail(f"{variable} must be set in CI: the {database} tests may not skip there")
    pytest.skip(f"set {variable} to test {database} projects")


def drop_database(database, name):
    engine = sa.create_engine(server_url(database), isolation_level="AUTOCOMMIT")
    force = " WITH (FORCE)" if database == "postgresql" else ""
    with engine.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}{force}")
    engine.dispose()


def run(command, cwd, env=None, check=True):
    """Run a command in a generated project; on failure show what it printed."""
    result = subprocess.run(
        command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        pytest.fail(f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def flask(project, *args, check=True):
    return run([sys.executable, "-m", "flask", *args], cwd=project, check=check)


def run_pytest(project, *args, env=None):
    """The generated project's own tests (quiet, leaving no cache behind)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    return run(command, project, env)


def workflow_commands(project):
    """The `run:` commands of the generated GitHub workflow, in order: install, then checks."""
    (job,) = yaml.safe_load((project / WORKFLOW).read_text())["jobs"].values()
    return [step["run"] for step in job["steps"] if "run" in step]


def workflow_checks(project):
    """The workflow's commands after its install step, as this Python runs them."""
    _install, *checks = workflow_commands(project)
    return [[sys.executable, "-m", *shlex.split(check)] for check in checks]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(command, cwd, env=None):
    """Start a server in `cwd` (`command` has a {port} to fill in) on a free loopback port;
    yield (its base URL, its pid) once it accepts connections; stop it after."""
    port = free_port()
    server = subprocess.Popen(
        [part.format(port=port) for part in command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, f"{command} did not start in 30 s"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)
