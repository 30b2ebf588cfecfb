"""The generated project's own CI and habits: GitHub workflow, pre-commit, editorconfig."""

import configparser

import pytest
import yaml
from helpers import generate


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    # Files only: these tests read them, they need no database.
    return generate(tmp_path_factory.mktemp("ci"), run_setup=False)


def test_workflow_lints_and_tests_against_both_servers(project):
    text = (project / ".github" / "workflows" / "tests.yml").read_text()
    assert "${{ github.ref }}" in text  # GitHub's expressions are not eaten by cookiecutter
    workflow = yaml.safe_load(text)
    # YAML 1.1 reads the `on:` key as True.
    assert {"push", "pull_request"} <= set(workflow.get("on") or workflow[True])
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"

    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert ".[dev" in commands and "pip install -e" in commands
    for command in ["ruff check .", "ruff format --check .", "pytest"]:
        assert command in commands

    images = {name: service["image"] for name, service in job["services"].items()}
    assert images["postgres"].startswith("postgres:")
    assert images["mysql"].startswith("mysql:")
    assert images["redis"].startswith("redis:")
    env = job["env"]
    assert env["TEST_POSTGRESQL_URL"].startswith("postgresql+psycopg://")
    assert env["TEST_POSTGRESQL_URL"].endswith("@127.0.0.1:5432/postgres")
    assert env["TEST_MYSQL_URL"].startswith("mysql+pymysql://")
    assert env["TEST_MYSQL_URL"].endswith("@127.0.0.1:3306/?charset=utf8mb4")
    assert env["TEST_REDIS_URL"] == "redis://127.0.0.1:6379/15"


def test_pre_commit_runs_ruff_and_ruff_format(project):
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    (repo,) = [r for r in config["repos"] if r["repo"].endswith("astral-sh/ruff-pre-commit")]
    assert repo["rev"].startswith("v")
    assert {hook["id"] for hook in repo["hooks"]} == {"ruff", "ruff-format"}


def test_editorconfig_matches_the_line_length(project):
    editorconfig = configparser.ConfigParser()
    editorconfig.read_string("[top]\n" + (project / ".editorconfig").read_text())
    assert editorconfig["*"]["end_of_line"] == "lf"
    assert editorconfig["*.py"]["max_line_length"] == "99"
