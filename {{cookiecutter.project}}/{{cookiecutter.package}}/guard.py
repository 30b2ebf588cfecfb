"""The migration guard: no page runs against an out-of-date schema.

Instead of a traceback such as `no such column: users.email`, the user gets a page (or,
under /api/, JSON) that says what to run: `flask db upgrade` when the database is behind
the migrations, `flask db migrate` when a model changed without a migration.
`flask db ...`, `flask shell` and the tests do not go through requests, so the guard
never blocks them.

Cost: the first request of each process reads alembic_version and the columns of every
model's table (a few milliseconds); once they match, later requests only look up a flag.
Until then every request checks again, so `flask db upgrade` needs no restart.
"""

import sqlalchemy as sa
from flask import current_app, request

from . import migration_state
from .errors import database_not_ready

# Requests the guard lets through even when the database is behind.
UNGUARDED_ENDPOINTS = {"health.healthz", "static", "bootstrap.static", "favicon"}


def init_app(app):
    if app.config["CHECK_MIGRATIONS"]:
        app.before_request(refuse_until_migrated)


def refuse_until_migrated():
    state = current_app.extensions.setdefault("migration_state", {})
    if state.get("checked") or request.endpoint in UNGUARDED_ENDPOINTS:
        return None
    try:
        problem = migration_state.problem()
    except sa.exc.OperationalError as exc:
        current_app.logger.error("database unreachable: %s", exc)
        return database_not_ready(
            "The database is unreachable. Check DATABASE_URL and the server."
        )
    if problem is None:
        state["checked"] = True  # checked once per process, not on every request
        return None
    current_app.logger.error(problem)
    return database_not_ready(problem)
