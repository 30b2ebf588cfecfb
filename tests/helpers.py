"""Helpers for the template's tests: generate real projects, run commands in them."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parents[1]

# Servers the tests use: admin URLs that may create databases, and a Redis database.
SERVER_VARIABLES = {
    "postgresql": "TEST_POSTGRESQL_URL",
    "mysql": "TEST_MYSQL_URL",
    "redis": "TEST_REDIS_URL",
}


def generate(output_dir, overwrite_if_exists=False, **answers):
    """Run cookiecutter on this template with --no-input, as a user would."""
    path = cookiecutter(
        str(TEMPLATE),
        no_input=True,
        extra_context=answers,
        output_dir=str(output_dir),
        overwrite_if_exists=overwrite_if_exists,
    )
    return Path(path)


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


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(command, project):
    """Start a server in the project (`command` has a {port} to fill in) on a free loopback
    port; yield its base URL once it accepts connections; stop it after."""
    port = free_port()
    server = subprocess.Popen(
        [part.format(port=port) for part in command],
        cwd=project,
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
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def load_hook(name):
    """hooks/<name>.py as a module, unrendered: the hooks parse their Jinja placeholder only
    in main(), so everything else can be imported and called."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, TEMPLATE / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
