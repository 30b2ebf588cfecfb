"""`GET /healthz`: is the database reachable and migrated to head? For load balancers
and deploy scripts; the migration guard lets it through."""

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
    migrations = {"database": sorted(database), "code": sorted(code), "at_head": at_head}
    return {"database": "ok", "migrations": migrations}, 200 if at_head else 503
