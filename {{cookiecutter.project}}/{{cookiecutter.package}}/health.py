"""Is the database reachable and migrated to head?

`GET /healthz` answers for load balancers and deploy scripts. The guard keeps pages
from running against an out-of-date schema: instead of a traceback such as
`no such column: users.email`, the user gets a message that says what to run.
`flask db ...`, `flask shell` and the tests do not go through requests, so the
guard never blocks them.
"""

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, request

from .errors import api_error, is_api_request
from .extensions import db, migrate

health = Blueprint("health", __name__)

# Requests the guard lets through even when the database is behind.
UNGUARDED_ENDPOINTS = {"health.healthz", "static", "bootstrap.static"}


def init_app(app):
    app.register_blueprint(health)
    if app.config["CHECK_MIGRATIONS"]:
        app.before_request(refuse_until_migrated)


def migration_status():
    """(revisions the database is at, heads of migrations/versions), as sets:
    a branched history has several heads, and a database can be at several."""
    state = current_app.extensions.setdefault("health", {})
    if "code_heads" not in state:  # the scripts do not change while the app runs
        config = migrate.get_config()
        state["code_heads"] = set(ScriptDirectory.from_config(config).get_heads())
    return database_revisions(), state["code_heads"]


def database_revisions():
    """The revisions recorded in the database's alembic_version table."""
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def describe_mismatch(database, code):
    message = (
        f"The database is at revision {', '.join(sorted(database)) or '(empty)'}, "
        f"but the code expects {', '.join(sorted(code))}.\nRun: flask db upgrade"
    )
    if len(code) > 1:
        message += (
            "\nThe migrations have several heads: merge them first with "
            "`flask db merge heads -m merge`, then upgrade."
        )
    return message


def refuse_until_migrated():
    state = current_app.extensions.setdefault("health", {})
    if state.get("at_head") or request.endpoint in UNGUARDED_ENDPOINTS:
        return None
    try:
        database, code = migration_status()
    except sa.exc.OperationalError as exc:
        current_app.logger.error("database unreachable: %s", exc)
        return unavailable("The database is unreachable. Check DATABASE_URL and the server.")
    if database == code:
        state["at_head"] = True  # checked once per process, not on every request
        return None
    message = describe_mismatch(database, code)
    current_app.logger.error(message)
    return unavailable(message)


def unavailable(message):
    if is_api_request():
        return api_error(503, message)
    return message, 503, {"Content-Type": "text/plain; charset=utf-8"}


@health.get("/healthz")
def healthz():
    try:
        database, code = migration_status()
    except sa.exc.OperationalError:
        return {"database": "unreachable", "migrations": None}, 503
    at_head = database == code
    migrations = {"database": sorted(database), "code": sorted(code), "at_head": at_head}
    return {"database": "ok", "migrations": migrations}, 200 if at_head else 503
