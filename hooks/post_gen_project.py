"""Post-generation hook: set the new project up so that `flask run` just works.

main() runs these steps, in order:
1. write .env with a fresh SECRET_KEY (never through cookiecutter's context or replay file);
2. unless run_setup is off, do the tutorial workflow for the user with the project's own
   `flask setup` steps: create the database if needed, check the shipped migrations,
   upgrade to head (the roles come with it), check that the models match the migrations,
   and create the admin account. Setup writes no migration. If the
   Python running cookiecutter can import the project's stack, the steps run in this
   process; otherwise the hook creates .venv (with uv when available), installs the
   project into it and runs `flask setup` there;
3. print the next steps, or, when a step failed, the commands that finish the job.

Every step prints one line through the project's own console.py, loaded by its path (it
needs nothing but the standard library), so the hook and `flask setup` print alike.

This hook never exits non-zero: cookiecutter would delete the whole project. When a step
fails (offline, database down), it keeps the project and says how to finish. Running it
again on a finished project changes nothing.
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
    "flask_babel",
    "redis",
    "dotenv",
    "email_validator",
    "zxcvbn",
    "markdown_it",
    "nh3",
    "spectree",
    "pydantic",
]
DRIVERS = {"sqlite": [], "postgresql": ["psycopg"], "mysql": ["pymysql"]}
# A virtualenv on Windows keeps its programs in Scripts, as .exe files, and elsewhere in bin.
WINDOWS = os.name == "nt"


def is_true(value):
    """cookiecutter gives booleans as bool, or as text when passed on the command line."""
    return str(value).strip().lower() in {"true", "1", "yes", "y", "on"}


def write_env(project_dir):
    """Write .env from .env.example with a new SECRET_KEY; keep an existing .env untouched.

    A DATABASE_URL set while generating is the database the hook sets up, so it goes into
    .env too: a new shell, without that variable, then reaches the same database.
    """
    env_file = project_dir / ".env"
    if env_file.exists():
        return ".env exists, kept as it is"
    settings = {"SECRET_KEY": secrets.token_hex(32)}
    if os.environ.get("DATABASE_URL"):
        settings["DATABASE_URL"] = os.environ["DATABASE_URL"]
    example = (project_dir / ".env.example").read_text(encoding="utf-8")
    lines = []
    for line in example.splitlines():
        name = line.partition("=")[0]
        lines.append(f"{name}={settings[name]}" if name in settings else line)
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env_file.chmod(0o600)
    kept = " and the DATABASE_URL in effect" if "DATABASE_URL" in settings else ""
    return f"wrote .env with a new SECRET_KEY{kept}"


def stack_available(database):
    return all(importlib.util.find_spec(name) for name in STACK + DRIVERS[database])


def load_console(path):
    """The project's console.py (step lines, run_step, StepFailed) as a module."""
    spec = importlib.util.spec_from_file_location("console", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def app_imports_here(project_dir, context):
    """Import the generated app in this Python, as `flask` would; False when this Python
    cannot run it (then the setup runs in a virtualenv)."""
    if not stack_available(context["database"]):
        return False
    sys.path.insert(0, str(project_dir))
    from dotenv import load_dotenv

    # Before the import: the config reads the environment. Like `flask`, variables already
    # set win over .env.
    load_dotenv(project_dir / ".env")
    try:
        importlib.import_module(context["package"])
    except ImportError as exc:
        print(f"  (this Python cannot run the app: {exc}; using a virtualenv)")
        return False
    return True


def setup_in_process(package, admin_email, console):
    """Run the project's setup steps in this Python: no subprocess, no install. Prints the
    new admin password like `flask setup` and returns it (None if the admin existed)."""
    app = importlib.import_module(package)
    setup = importlib.import_module(f"{package}.commands.setup")
    seed = importlib.import_module(f"{package}.commands.seed")
    # Each step prints its own line: keep Alembic's INFO chatter out of the way.
    logging.basicConfig(level=logging.WARNING, format="    %(name)s: %(message)s")
    try:
        with app.create_app().app_context():
            password = setup.run_setup(admin_email)
    except Exception as exc:
        # The package's StepFailed is not console.StepFailed (the same file, imported
        # twice), and create_app() may fail too: either way, one line and stop.
        raise console.StepFailed(console.first_line(exc)) from exc
    if password:
        seed.print_admin_password(admin_email, password)
    return password


def venv_bin(project_dir):
    return project_dir / ".venv" / ("Scripts" if WINDOWS else "bin")


def venv_python(project_dir):
    return venv_bin(project_dir) / ("python.exe" if WINDOWS else "python")


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


def setup_in_venv(project_dir, admin_email, console):
    """Create .venv, install the project into it and run its `flask setup` there. Returns
    None: the new admin password, if any, is printed by that process."""
    console.run_step("venv", lambda: create_venv(project_dir))
    console.run_step("install", lambda: install_project(project_dir))
    admin = ["--admin-email", admin_email] if admin_email else []
    command = [str(venv_python(project_dir)), "-m", "flask", "setup", *admin]
    if subprocess.run(command, cwd=project_dir).returncode != 0:
        raise console.StepFailed("flask setup failed (see above)")
    return None


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


def next_steps(project_dir, admin_email, in_venv, password):
    """The block printed after a finished setup: how to start, log in, find the data."""
    lines = ["", "Next steps:", f"    cd {project_dir}"]
    if in_venv:
        lines.append(f"    {activate_command()}")
    lines.append("    flask run            # then open http://127.0.0.1:5000")
    if password:
        lines.append(f"  Admin login: {admin_email} (password shown above)")
    elif admin_email:
        # Printed by `flask setup` in .venv (just above, if it created the account), or by
        # an earlier run: this process never sees it.
        created = "setup printed its password once, on creation"
        lines.append(f"  Admin login: {admin_email} ({created})")
        lines.append(f"  Forgot it?   flask users set-password {admin_email}")
    location = database_location(project_dir)
    if location:
        lines.append(f"  Database:    {location}")
    return "\n".join(lines)


def activate_command():
    """How to activate .venv in a shell, from the project folder."""
    script = venv_bin(Path(".")) / "activate"
    return str(script) if WINDOWS else f"source {script}"


def finish_commands(project_dir, admin_email, in_venv):
    """The exact commands that finish an interrupted setup, from any folder."""
    admin = f" --admin-email {admin_email}" if admin_email else ""
    if not in_venv:
        return [f"cd {project_dir}", f"flask setup{admin}"]
    python = venv_python(Path("."))
    return [
        f"cd {project_dir}",
        f"{sys.executable} -m venv .venv",
        f'{python} -m pip install -e ".[dev]"',
        f"{python} -m flask setup{admin}",
    ]


def print_commands(commands):
    for command in commands:
        print(f"    {command}")


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
    if rendered_by_cruft_for_a_diff(context, project_dir):
        print("(cruft is rendering the template to compare it: setup skipped)")
        return
    # Our lines and those of `flask setup` in .venv share the output: keep them in order.
    sys.stdout.reconfigure(line_buffering=True)
    console = load_console(project_dir / context["package"] / "console.py")
    admin_email = context["admin_email"]

    print(f"\nSetting up {project_dir.name}:")
    console.run_step("env", lambda: write_env(project_dir))
    if not is_true(context["run_setup"]):
        print("  Setup skipped (run_setup is off). To finish:")
        print_commands(finish_commands(project_dir, admin_email, in_venv=True))
        return

    in_venv = not app_imports_here(project_dir, context)
    try:
        if in_venv:
            password = setup_in_venv(project_dir, admin_email, console)
        else:
            password = setup_in_process(context["package"], admin_email, console)
    except console.StepFailed as exc:
        print(f"\nSetup did not finish ({exc}). Your project is complete and kept.")
        print("Fix the cause, then finish with:")
        print_commands(finish_commands(project_dir, admin_email, in_venv))
        return
    print(next_steps(project_dir, admin_email, in_venv, password))


if __name__ == "__main__":
    # Every line out at once: `flask setup` in .venv writes to the same terminal or pipe.
    sys.stdout.reconfigure(line_buffering=True)
    try:
        main()
    except Exception as exc:  # never let cookiecutter delete the user's project
        print(f"\nSetup hook error: {type(exc).__name__}: {exc}. The project is kept.")
    sys.exit(0)
