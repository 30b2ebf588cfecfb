"""The generated project's own CI and habits agree with the project: the GitHub workflow
(whose checks test_generated_project runs), pre-commit and editorconfig."""

import configparser
import re
import shlex
import tomllib
from urllib.parse import urlsplit

import pytest
import yaml
from helpers import SERVER_VARIABLES, TEMPLATE, WORKFLOW, generate, workflow_commands

GITHUB_EXPRESSION = r"\$\{\{.*?\}\}"
DISTRIBUTION_NAME = r"[A-Za-z0-9._-]+"  # how a requirement like "pytest>=8" starts


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    # Files only: these tests read them, they need no database.
    return generate(tmp_path_factory.mktemp("ci"), run_setup=False)


def pyproject(project):
    return tomllib.loads((project / "pyproject.toml").read_text())


def test_workflow_runs_on_every_push_with_githubs_expressions_intact(project):
    source = (TEMPLATE / "{{cookiecutter.project}}" / WORKFLOW).read_text()
    generated = (project / WORKFLOW).read_text()
    assert re.findall(GITHUB_EXPRESSION, generated) == re.findall(GITHUB_EXPRESSION, source)
    workflow = yaml.safe_load(generated)
    # YAML 1.1 reads the `on:` key as True.
    assert {"push", "pull_request"} <= set(workflow.get("on") or workflow[True])


def installed_distributions(project):
    """What the workflow's `pip install -e ".[extras]"` installs by name (lower case):
    the project's dependencies and those of the extras it names."""
    (editable,) = re.findall(r"\.\[([\w,]+)\]", workflow_commands(project)[0])  # -e ".[dev,...]"
    metadata = pyproject(project)["project"]
    extras = metadata["optional-dependencies"]
    specs = metadata["dependencies"] + [
        spec for name in editable.split(",") for spec in extras[name]
    ]
    return {re.match(DISTRIBUTION_NAME, spec)[0].lower() for spec in specs}


def test_install_step_provides_every_tool_the_checks_run(project):
    _install, *checks = workflow_commands(project)
    tools = {shlex.split(check)[0] for check in checks}
    assert {"ruff", "pytest"} <= tools <= installed_distributions(project)


def test_test_urls_point_at_the_services_of_the_workflow(project):
    (job,) = yaml.safe_load((project / WORKFLOW).read_text())["jobs"].values()
    by_port = {
        int(str(mapping).split(":")[0]): service
        for service in job["services"].values()
        for mapping in service["ports"]
    }
    installed = installed_distributions(project)
    for variable in SERVER_VARIABLES.values():  # every server the project's tests use
        url = urlsplit(job["env"][variable])
        assert url.hostname in ("127.0.0.1", "localhost"), variable
        assert url.port in by_port, f"{variable}: no service publishes port {url.port}"
        if url.password:
            assert url.password in by_port[url.port]["env"].values(), variable
        # postgresql+psycopg: psycopg; redis: (no driver named) the redis dependency
        driver = url.scheme.partition("+")[2] or url.scheme
        assert driver in installed, f"{variable}: the install step does not install {driver}"


def test_pre_commit_runs_ruff_and_ruff_format(project):
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    (repo,) = [r for r in config["repos"] if r["repo"].endswith("astral-sh/ruff-pre-commit")]
    assert repo["rev"].startswith("v")  # a release tag
    assert {hook["id"] for hook in repo["hooks"]} == {"ruff", "ruff-format"}


def test_editorconfig_matches_ruffs_line_length(project):
    editorconfig = configparser.ConfigParser()
    editorconfig.read_string("[top]\n" + (project / ".editorconfig").read_text())
    assert editorconfig["*"]["end_of_line"] == "lf"
    line_length = pyproject(project)["tool"]["ruff"]["line-length"]
    assert int(editorconfig["*.py"]["max_line_length"]) == line_length
