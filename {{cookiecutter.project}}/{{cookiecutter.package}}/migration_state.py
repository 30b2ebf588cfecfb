"""Where the database stands against the migrations and the models: the one place that
asks. `flask setup`, the migration guard and `GET /healthz` all go through these functions.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from .extensions import db, migrate


def migrations_directory():
    return Path(current_app.extensions["migrate"].directory)


def alembic_config(autogenerate=False):
    """Alembic's config for migrations/, as `flask db ...` builds it."""
    options = ["autogenerate"] if autogenerate else None
    return migrate.get_config(directory=migrations_directory(), opts=options)


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


def pending_revisions():
    """The revisions `flask db upgrade` would apply, as Alembic Script objects."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return list(scripts.iterate_revisions("heads", tuple(database_revisions()) or "base"))


def status():
    """(revisions the database is at, heads of the code)."""
    return database_revisions(), code_heads()


def describe(revisions):
    return ", ".join(sorted(revisions)) or "empty database"


def describe_diff(diff):
    """One of autogenerate's differences in words: "add column users.bio"."""
    if isinstance(diff, list):  # changes to one column: type, nullable, default
        kinds = ", ".join(change[0].removeprefix("modify_") for change in diff)
        _, _, table, column = diff[0][:4]
        return f"change {kinds} of column {table}.{column}"
    action, *_, item = diff
    verb, _, kind = action.partition("_")
    kind = {"fk": "foreign key", "constraint": "constraint"}.get(kind, kind)
    if isinstance(item, sa.Column):
        return f"{verb} {kind} {diff[2]}.{item.name}"
    if isinstance(item, sa.Table):
        return f"{verb} {kind} {item.name}"
    table = getattr(item, "table", None)
    return f"{verb} {kind} {item.name or ''} on {table.name if table is not None else '?'}"


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


def schema_differences():
    """Where the live schema and the models disagree on tables and columns, one line
    each, such as "column users.bio: in the models, not in the database". A model changed
    without a migration (or with one not yet applied) shows here. Tables the models do
    not know are left alone: they may belong to something else."""
    inspector = sa.inspect(db.engine)
    tables = set(inspector.get_table_names())
    differences = []
    for table in db.metadata.sorted_tables:
        if table.name not in tables:
            differences.append(f"table {table.name}: in the models, not in the database")
            continue
        in_database = {column["name"] for column in inspector.get_columns(table.name)}
        in_models = {column.name for column in table.columns}
        differences += [
            f"column {table.name}.{name}: in the models, not in the database"
            for name in sorted(in_models - in_database)
        ]
        differences += [
            f"column {table.name}.{name}: in the database, not in the models"
            for name in sorted(in_database - in_models)
        ]
    return differences


def describe_schema_differences(differences):
    lines = "\n".join(f"  {difference}" for difference in differences)
    return (
        f"The database does not match the models:\n{lines}\n"
        "A model changed without a migration. Run:\n"
        '  flask db migrate -m "describe the change"\n'
        "  (review the new file in migrations/versions/)\n"
        "  flask db upgrade"
    )


def problem():
    """Why the app cannot run on this database yet, as a message that says what to run,
    or None. Revisions first (the usual case: `flask db upgrade` not run yet), then the
    schema itself (a model changed and no migration says so)."""
    database, code = status()
    if database != code:
        return describe_mismatch(database, code)
    if differences := schema_differences():
        return describe_schema_differences(differences)
    return None
