"""Take a fresh project to a migrated, seeded database, one printed step at a time.

The cookiecutter hook runs these steps right after generating the project, and
`flask setup` runs them again on demand. Every step is safe to repeat.
"""

import os
import secrets
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from flask import current_app

from .extensions import bcrypt, db
from .health import database_revisions
from .models import Role, User


class SetupError(Exception):
    """A step failed; the message says which one and why."""


def run_setup(admin_email=None, echo=print):
    """Run every step inside the current app context. Returns the new admin's
    password when this run created the admin account, else None."""
    for name, step in SCHEMA_STEPS:
        _run_step(name, step, echo)
    new_password = None

    def seed_step():
        nonlocal new_password
        summary, new_password = seed(admin_email)
        return summary

    _run_step("seed", seed_step, echo)
    return new_password


def _run_step(name, step, echo):
    """Run one step and print its line: status, summary and time."""
    started = time.perf_counter()
    try:
        summary = step()
    except Exception as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        echo(step_line(name, "FAILED", first_line))
        raise SetupError(f"{name} failed: {first_line}") from exc
    echo(step_line(name, "ok", summary, time.perf_counter() - started))


# Status -> (mark, fallback mark for terminals that cannot show it, ANSI colour).
STATUS_STYLES = {"ok": ("\u2713", "+", "32"), "FAILED": ("\u2717", "x", "31")}
WARNING_STYLE = ("!", "!", "33")


def step_line(name, status, summary, seconds=None, stream=None):
    """`  name     ok      summary  (0.12s)`: the line each step prints (the cookiecutter
    hook prints the same). On a terminal a mark replaces the indent and the status is
    coloured, unless NO_COLOR is set; piped or captured output stays plain text."""
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


def _alembic_config(autogenerate=False):
    migrate = current_app.extensions["migrate"].migrate
    return migrate.get_config(opts=["autogenerate"] if autogenerate else None)


def create_database():
    """Create the database on a PostgreSQL or MySQL server if it does not exist yet."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        os.makedirs(current_app.instance_path, exist_ok=True)
        return f"SQLite file {os.path.relpath(url.database) if url.database else ':memory:'}"
    try:
        with db.engine.connect():
            return f"{url.database} on {url.host} exists"
    except sa.exc.OperationalError as exc:
        if not _is_missing_database(exc):
            raise
    # Connect to a database every account may open, to create ours from there.
    maintenance = "postgres" if url.get_backend_name() == "postgresql" else "information_schema"
    server = sa.create_engine(url.set(database=maintenance), isolation_level="AUTOCOMMIT")
    quoted = server.dialect.identifier_preparer.quote(url.database)
    extra = (
        " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        if url.get_backend_name() == "mysql"
        else ""
    )
    try:
        with server.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {quoted}{extra}")
    except sa.exc.DBAPIError as exc:
        raise SetupError(
            f"database {url.database} does not exist and could not be created ({exc.orig}); "
            f"ask an administrator to run: CREATE DATABASE {quoted}{extra}"
        ) from exc
    finally:
        server.dispose()
    return f"created {url.database} on {url.host}"


def _is_missing_database(exc):
    text = str(exc.orig)
    return "does not exist" in text or "Unknown database" in text


def init_repository():
    """The migration repository ships with the project: check it, recreate if gone."""
    directory = Path(current_app.extensions["migrate"].directory)
    if (directory / "env.py").is_file() and (directory / "alembic.ini").is_file():
        revisions = len(list((directory / "versions").glob("*.py")))
        return f"{directory.name}/ present, {revisions} revision(s)"
    command.init(_alembic_config(), str(directory), template="flask")
    return f"{directory.name}/ was missing: created it from Flask-Migrate's template"


def upgrade():
    before = database_revisions()
    command.upgrade(_alembic_config(), "heads")
    after = database_revisions()
    if before == after:
        return f"already at head ({_describe(after)})"
    return f"{_describe(before)} -> {_describe(after)}"


def autogenerate():
    """Compare models with the upgraded database, as `flask db migrate` would.

    In a healthy project nothing differs and no file is written. If a file is
    written, the models changed without a migration: apply it and say so loudly.
    """
    script = command.revision(
        _alembic_config(autogenerate=True), message="autogenerated by setup", autogenerate=True
    )
    if not script:
        return "models match the migrations, no new revision"
    command.upgrade(_alembic_config(), "heads")
    path = os.path.relpath(script.path)
    return (
        f"WARNING: models differed from the migrations; wrote and applied {path}. "
        "Review that file and commit it."
    )


def seed(admin_email):
    Role.insert_roles()
    summary = f"{len(Role.PERMISSIONS)} roles"
    if not admin_email:
        return summary, None
    admin_email = admin_email.strip().lower()  # login lowercases what people type
    if db.session.scalar(sa.select(User).filter_by(email=admin_email)):
        return f"{summary}; admin {admin_email} already exists", None
    password = secrets.token_urlsafe(16)
    administrator = db.session.scalar(sa.select(Role).filter_by(name="Administrator"))
    # bcrypt's cost slows down guessing weak human passwords. This one is 128 random bits,
    # beyond guessing at any cost, so the minimum cost will do, and saves a third of a
    # second of every project generation. The first login stores it at BCRYPT_LOG_ROUNDS.
    password_hash = bcrypt.generate_password_hash(password, rounds=4).decode()
    db.session.add(
        User(username="admin", email=admin_email, password_hash=password_hash, role=administrator)
    )
    db.session.commit()
    return f"{summary}; admin {admin_email} created", password


# The steps before seeding, in order; run_setup() adds the seed step with its admin email.
SCHEMA_STEPS = [
    ("database", create_database),
    ("init", init_repository),
    ("upgrade", upgrade),
    ("migrate", autogenerate),
]


def _describe(revisions):
    return ", ".join(sorted(revisions)) or "empty database"
