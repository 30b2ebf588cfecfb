"""Each generated project passes its own CI (the GitHub workflow's lint, format check and
test suite) and its migration commands, per database."""

import os

import pytest
from helpers import (
    DATABASES,
    SERVER_DATABASES,
    SERVER_VARIABLES,
    flask,
    run,
    server_url,
    workflow_checks,
)


@pytest.mark.parametrize("database", DATABASES)
def test_the_workflows_checks_pass(make_project, database):
    project = make_project(database=database)
    # The project's migration tests run on every server configured here (and must in CI).
    env = {name: server_url(db) for db, name in SERVER_VARIABLES.items()}
    for check in workflow_checks(project):
        output = run(check, project, env).stdout
        if "pytest" in check:
            assert " passed" in output
            if os.environ.get("CI") == "true":  # locally a missing browser or server may skip
                assert " skipped" not in output, output


@pytest.mark.parametrize("database", SERVER_DATABASES)
def test_server_database_is_created_migrated_and_checked(make_project, database):
    project = make_project(database=database)
    assert "(head)" in flask(project, "db", "current").stdout
    flask(project, "db", "check")
