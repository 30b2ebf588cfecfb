"""Under load: 16 concurrent clients post 200 messages each to a gunicorn-served project.
Exactly 3,200 new rows, no 5xx, no "database is locked". Loopback only, bounded."""

import sys

import pytest
from helpers import run, serving

CLIENTS, POSTS = 16, 200


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_concurrent_posting_loses_nothing(make_project, database):
    project = make_project(database=database)
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "4", "-b", "127.0.0.1:{port}", "wsgi:app"]
    # wsgi.py serves production, whose cookies are Secure-only: this is plain HTTP.
    with serving(gunicorn, project, env={"FLASK_CONFIG": "development"}) as (url, _pid):
        load = [sys.executable, "scripts/load_test.py", url]
        arguments = ["--clients", str(CLIENTS), "--posts", str(POSTS)]
        # The project is not pip-installed here: let the script import its package.
        result = run(load + arguments, project, env={"PYTHONPATH": str(project)})
    print(result.stdout)
    assert f"new messages stored: {CLIENTS * POSTS} (expected {CLIENTS * POSTS})" in result.stdout
    assert "locked" not in result.stdout + result.stderr
