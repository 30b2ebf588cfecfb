"""The migration guard: no page runs against an out-of-date schema.

Instead of a traceback such as `no such column: users.email`, the user gets a message
that says what to run. `flask db ...`, `flask shell` and the tests do not go through
requests, so the guard never blocks them.
"""

import sqlalchemy as sa
from flask import current_app, request

from . import migration_state
from .errors import api_error, is_api_request

# Requests the guard lets through even when the database is behind.
UNGUARDED_ENDPOINTS = {"health.healthz", "static", "bootstrap.static"}


def init_app(app):
    if app.config["CHECK_MIGRATIONS"]:
        app.before_request(refuse_until_migrated)


def refuse_until_migrated():
    state = current_app.extensions.setdefault("migration_state", {})
    if state.get("at_head") or request.endpoint in UNGUARDED_ENDPOINTS:
        return None
    try:
        database, code = migration_state.status()
    except sa.exc.OperationalError as exc:
        current_app.logger.error("database unreachable: %s", exc)
        return unavailable("The database is unreachable. Check DATABASE_URL and the server.")
    if database == code:
        state["at_head"] = True  # checked once per process, not on every request
        return None
    message = migration_state.describe_mismatch(database, code)
    current_app.logger.error(message)
    return unavailable(message)


def unavailable(message):
    if is_api_request():
        return api_error(503, message)
    return message, 503, {"Content-Type": "text/plain; charset=utf-8"}
