"""`GET /healthz`: is the database reachable, migrated to the one head of the migrations,
and does its schema match the models? For load balancers and deploy scripts; the
migration guard lets it through. 200 when all is well, else 503, with the details."""

import sqlalchemy as sa
from flask import Blueprint

from . import migration_state

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        database, code = migration_state.status()
    except sa.exc.OperationalError:
        return {"database": "unreachable", "migrations": None}, 503
    at_head = database == code
    # Several heads: `flask db upgrade` refuses to run until they are merged.
    migrations = {
        "database": sorted(database),
        "code": sorted(code),
        "at_head": at_head,
        "single_head": len(code) == 1,
    }
    if not at_head:  # the schema of another revision: comparing it would say nothing
        return {"database": "ok", "migrations": migrations, "schema": None}, 503
    differences = migration_state.schema_differences()
    schema = {"matches_models": not differences, "differences": differences}
    healthy = len(code) == 1 and not differences
    return {"database": "ok", "migrations": migrations, "schema": schema}, 200 if healthy else 503
