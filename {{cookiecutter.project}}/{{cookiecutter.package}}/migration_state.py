"""Where the database stands against the migrations: the one place that asks Alembic.

`flask setup`, the migration guard and `GET /healthz` all go through these functions.
"""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from .extensions import db, migrate


def alembic_config(autogenerate=False):
    """Alembic's config for migrations/, as `flask db ...` builds it."""
    return migrate.get_config(opts=["autogenerate"] if autogenerate else None)


def code_heads():
    """The heads of migrations/versions, as a set: a branched history has several.
    Read once per app: the scripts do not change while it runs."""
    state = current_app.extensions.setdefault("migration_state", {})
    if "code_heads" not in state:
        state["code_heads"] = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    return state["code_heads"]


def database_revisions():
    """The revisions recorded in the database's alembic_version table, as a set."""
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def status():
    """(revisions the database is at, heads of the code)."""
    return database_revisions(), code_heads()


def describe(revisions):
    return ", ".join(sorted(revisions)) or "empty database"


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
