"""cruft: a project made with `cruft create` takes template updates with `cruft update`,
and the setup hook stays out of cruft's comparison renders (no setup, no new .env)."""

import shutil
import sys

from helpers import TEMPLATE, run

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]
IGNORE = shutil.ignore_patterns(".git", ".ci", "__pycache__", ".pytest_cache", ".ruff_cache")


def commit(repo, message):
    run([*GIT, "add", "-A"], repo)
    run([*GIT, "commit", "-q", "-m", message], repo)


def test_cruft_update_applies_template_changes_and_keeps_the_env(tmp_path):
    cruft = [sys.executable, "-m", "cruft"]
    template = tmp_path / "template"
    shutil.copytree(TEMPLATE, template, ignore=IGNORE)
    run(["git", "init", "-q"], template)
    commit(template, "v1")

    created = run([*cruft, "create", "--no-input", str(template)], tmp_path).stdout
    project = tmp_path / "message-board"
    assert "seed      ok" in created and "Next steps:" in created
    assert (project / ".cruft.json").is_file() and (project / "instance").is_dir()
    run(["git", "init", "-q"], project)
    commit(project, "generated")
    assert run([*cruft, "check"], project, check=False).returncode == 0  # up to date
    env_before = (project / ".env").read_text()

    readme = template / "{{cookiecutter.project}}" / "README.md"
    readme.write_text(readme.read_text() + "\nA change made in the template.\n")
    commit(template, "v2")

    assert run([*cruft, "check"], project, check=False).returncode == 1  # update available
    updated = run([*cruft, "update", "-y"], project)
    output = updated.stdout + updated.stderr
    assert "setup skipped" in output and "Setting up" not in output
    assert "A change made in the template." in (project / "README.md").read_text()
    assert (project / ".env").read_text() == env_before
    status = run(["git", "status", "--porcelain"], project).stdout.split("\n")
    assert sorted(line[3:] for line in status if line) == [".cruft.json", "README.md"]
    assert not list(project.rglob("*.rej"))
