"""Post-generation hook: set the new project up so that `flask run` just works.

1. write .env with a fresh SECRET_KEY (never through cookiecutter's context or replay file);
2. then, unless run_setup is off, the tutorial workflow done for the user, by the project's
   own `flask setup` steps: create the database if needed, init (verify migrations/), upgrade,
   migrate (prove models and migrations agree), seed roles and the admin account.

If the Python running cookiecutter can import the project's stack, the steps run in this
process. Otherwise the hook creates .venv (with uv when available), installs the project
into it and runs `flask setup` there.

This hook never exits non-zero: cookiecutter would delete the whole project. When a step
fails (offline, database down), it keeps the project and prints the commands that finish
the job. Running it again on a finished project changes nothing.
"""

import importlib
import importlib.util
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Rendered by cookiecutter before the hook runs; parsed in main() so tests can import this file.
CONTEXT = r"""{{ cookiecutter | tojson }}"""

# Modules the app imports, per database driver on top.
STACK = [
    "flask",
    "flask_sqlalchemy",
    "flask_migrate",
    "flask_login",
    "flask_bcrypt",
    "flask_wtf",
    "flask_bootstrap",
    "flask_limiter",
    "redis",
    "dotenv",
    "email_validator",
]
DRIVERS = {"sqlite": [], "postgresql": ["psycopg"], "mysql": ["pymysql"]}


class StepFailed(Exception):
    """A setup step failed: the message is one line for the user."""


def is_true(value):
    """cookiecutter gives booleans as bool, or as text when passed on the command line."""
    return str(value).strip().lower() in {"true", "1", "yes", "y", "on"}


def write_env(project_dir):
    """Write .env from .env.example with a new SECRET_KEY; keep an existing .env untouched."""
    env_file = project_dir / ".env"
    if env_file.exists():
        return ".env exists, kept as it is"
    example = (project_dir / ".env.example").read_text(encoding="utf-8")
    lines = [
        f"SECRET_KEY={secrets.token_hex(32)}" if line.startswith("SECRET_KEY=") else line
        for line in example.splitlines()
    ]
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env_file.chmod(0o600)
    return "wrote .env with a new SECRET_KEY"


def stack_available(database):
    return all(importlib.util.find_spec(name) for name in STACK + DRIVERS[database])


# Status -> (mark, fallback mark for terminals that cannot show it, ANSI colour).
STATUS_STYLES = {"ok": ("\u2713", "+", "32"), "FAILED": ("\u2717", "x", "31")}
WARNING_STYLE = ("!", "!", "33")


def step_line(name, status, summary, seconds=None, stream=None):
    """`  name     ok      summary  (0.12s)`, as the project's setup_steps.step_line prints
    it: a mark and colour on a terminal only (no colour with NO_COLOR), else plain text."""
    stream = stream or sys.stdout
    timing = "" if seconds is None else f"  ({seconds:.2f}s)"
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return f"  {name:<9}{status:<8}{summary}{timing}"
    mark, fallback, colour = (
        WARNING_STYLE if summary.startswith("WARNING") else STATUS_STYLES[status]
    )
    try:
        mark.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        mark = fallback
    word = f"{status:<8}"
    if not os.environ.get("NO_COLOR"):
        mark = f"\033[{colour}m{mark}\033[0m"
        word = f"\033[{colour}m{status}\033[0m{' ' * (8 - len(status))}"
    return f"{mark} {name:<9}{word}{summary}{timing}"


def run_step(name, action):
    """Run one step, print one line with its result and time; raise StepFailed on error."""
    started = time.perf_counter()
    try:
        summary = action()
    except Exception as exc:
        print(step_line(name, "FAILED", str(exc)), flush=True)
        raise StepFailed(f"{name}: {exc}") from exc
    print(step_line(name, "ok", summary, time.perf_counter() - started), flush=True)
    return summary


def load_project(project_dir, package):
    """Import the generated package in this interpreter; ImportError if the stack is unusable."""
    sys.path.insert(0, str(project_dir))
    from dotenv import load_dotenv

    # Each step prints its own line: keep Alembic's INFO chatter out of the way.
    logging.basicConfig(level=logging.WARNING, format="    %(name)s: %(message)s")

    load_dotenv(project_dir / ".env")  # like `flask`: variables already set win
    app_module = importlib.import_module(package)
    return app_module.create_app, importlib.import_module(f"{package}.commands.setup")


def setup_in_process(create_app, setup_steps, admin_email):
    """Run the project's setup steps in this interpreter: no subprocess, no install."""
    try:
        with create_app().app_context():
            password = setup_steps.run_setup(admin_email)
    except Exception as exc:
        raise StepFailed(str(exc).splitlines()[0]) from exc
    if password:
        print(f"\nAdmin account: {admin_email} / {password}")
        print("This password is shown once and stored nowhere: change it after logging in.")
    return password


def venv_python(project_dir):
    folder = "Scripts" if os.name == "nt" else "bin"
    return project_dir / ".venv" / folder / ("python.exe" if os.name == "nt" else "python")


def run_quietly(command, cwd):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        last_lines = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(map(str, command))} failed: {' | '.join(last_lines)}")


def create_venv(project_dir):
    if venv_python(project_dir).exists():
        return ".venv exists, reused"
    if shutil.which("uv"):
        run_quietly(["uv", "venv", "--quiet", "--python", sys.executable, ".venv"], project_dir)
        return "created .venv with uv"
    run_quietly([sys.executable, "-m", "venv", ".venv"], project_dir)
    return "created .venv"


def install_project(project_dir):
    python = venv_python(project_dir)
    if shutil.which("uv"):
        run_quietly(["uv", "pip", "install", "--python", str(python), "-e", ".[dev]"], project_dir)
    else:
        run_quietly([str(python), "-m", "pip", "install", "--quiet", "-e", ".[dev]"], project_dir)
    return 'installed the project with ".[dev]" into .venv'


def setup_in_venv(project_dir, admin_email):
    run_step("venv", lambda: create_venv(project_dir))
    run_step("install", lambda: install_project(project_dir))
    flask = venv_python(project_dir).parent / "flask"
    command = [str(flask), "setup"] + (["--admin-email", admin_email] if admin_email else [])
    if subprocess.run(command, cwd=project_dir).returncode != 0:
        raise StepFailed("flask setup failed (see above)")


def read_env_value(env_file, key):
    """KEY's value in a .env file (what `flask` would load), or None."""
    if not env_file.is_file():
        return None
    for line in env_file.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and name.strip() == key:
            return value.strip().strip("'\"")
    return None


def database_location(project_dir):
    """Where the app's database is, for people: a file path, or the URL without password."""
    # Like `flask`: a variable set in the environment wins over .env.
    url = os.environ.get("DATABASE_URL") or read_env_value(project_dir / ".env", "DATABASE_URL")
    if not url:
        return None
    if url.startswith("sqlite:"):
        path = url.partition(":///")[2].partition("?")[0]
        if not path or path == ":memory:":
            return "SQLite, in memory"
        # Flask-SQLAlchemy resolves a relative SQLite path inside instance/.
        return f"{path if os.path.isabs(path) else os.path.join('instance', path)} (SQLite)"
    return re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", url)


def next_steps(project_dir, admin_email, used_venv, password):
    """The block printed after a finished setup: how to start, log in, find the data."""
    activate = r".venv\Scripts\activate" if os.name == "nt" else "source .venv/bin/activate"
    lines = ["", "Next steps:", f"    cd {project_dir}"]
    if used_venv:
        lines.append(f"    {activate}")
    lines.append("    flask run            # then open http://127.0.0.1:5000")
    if admin_email:
        shown = "password shown above" if password else "password printed when it was created"
        lines.append(f"  Admin login: {admin_email} ({shown})")
    location = database_location(project_dir)
    if location:
        lines.append(f"  Database:    {location}")
    return "\n".join(lines)


def finish_commands(project_dir, admin_email, used_venv):
    """The exact commands that finish an interrupted setup."""
    admin = f" --admin-email {admin_email}" if admin_email else ""
    commands = [f"cd {project_dir}"]
    if used_venv:
        commands += [
            f"{sys.executable} -m venv .venv",
            '.venv/bin/python -m pip install -e ".[dev]"',
            f".venv/bin/flask setup{admin}",
        ]
    else:
        commands.append(f"flask setup{admin}")
    return commands


def rendered_by_cruft_for_a_diff(context, project_dir):
    """True when `cruft update` (or diff, check) renders the template to compare it with
    the project: cruft adds `_commit` to the context and renders into a new temporary
    directory. Setting that copy up would be wasted work, and a .env with a new SECRET_KEY
    would show up as a change to apply. (`cruft create` renders where the user asked.)"""
    if "_commit" not in context:
        return False
    parent = project_dir.resolve().parent
    temp = Path(tempfile.gettempdir()).resolve()
    return parent.parent == temp and parent.name.startswith("tmp")


def main():
    context = json.loads(CONTEXT)
    project_dir = Path.cwd()
    admin_email = context["admin_email"]
    database = context["database"]

    if rendered_by_cruft_for_a_diff(context, project_dir):
        print("(cruft is rendering the template to compare it: setup skipped)", flush=True)
        return
    print(f"\nSetting up {project_dir.name}:", flush=True)
    run_step("env", lambda: write_env(project_dir))
    if not is_true(context["run_setup"]):
        print("  Setup skipped (run_setup is off). To finish:")
        for line in finish_commands(project_dir, admin_email, used_venv=True):
            print(f"    {line}")
        return

    project = None
    if stack_available(database):
        try:
            project = load_project(project_dir, context["package"])
        except ImportError as exc:
            print(f"  (this Python cannot run the app: {exc}; using a virtualenv)")
    used_venv = project is None
    password = None
    try:
        if used_venv:
            setup_in_venv(project_dir, admin_email)
        else:
            password = setup_in_process(*project, admin_email)
    except StepFailed as exc:
        print(f"\nSetup did not finish ({exc}). Your project is complete and kept.")
        print("Fix the cause, then finish with:")
        for line in finish_commands(project_dir, admin_email, used_venv):
            print(f"    {line}")
        return
    print(next_steps(project_dir, admin_email, used_venv, password))


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # never let cookiecutter delete the user's project
        print(f"\nSetup hook error: {type(exc).__name__}: {exc}. The project is kept.")
    sys.exit(0)
