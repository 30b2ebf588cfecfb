"""Alembic environment: how `flask db ...` connects and runs migrations.

Differences from Flask-Migrate's stock env.py, each for a reason:
- the engine comes from Flask-SQLAlchemy's `db.engine` (no deprecated get_engine());
- logging from alembic.ini is applied only when nothing configured logging yet,
  and never disables the app's own loggers;
- an autogenerate run that finds no change writes no empty revision;
- each revision runs in its own transaction, and a database lock lets only one
  process at a time upgrade (several app instances deploying together);
- on SQLite, foreign keys are switched off while migrating: batch operations
  rebuild tables, and rebuilding a parent table would otherwise fire
  ON DELETE CASCADE and silently delete the child rows.
"""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
# Any fixed number: the PostgreSQL advisory lock `flask db upgrade` holds while it runs.
LOCK_KEY = 7_146_112_001


def run_migrations_offline():
    """Emit SQL for the configured database instead of running it (`--sql`)."""
    context.configure(
        # The URL alone: no engine, so no database driver or server is needed.
        url=current_app.config["SQLALCHEMY_DATABASE_URI"],
        target_metadata=db.metadata,
        literal_binds=True,
        **current_app.extensions["migrate"].configure_args,
    )
    with context.begin_transaction():
        context.run_migrations()


def skip_empty_autogenerate(context, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations(connection):
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", skip_empty_autogenerate)
    # One transaction per revision (where DDL is transactional): a failure rolls back
    # only the failing revision, and the ones before it stay applied and recorded.
    conf_args.setdefault("transaction_per_migration", True)
    context.configure(connection=connection, target_metadata=db.metadata, **conf_args)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    # A connection handed in by a caller (pytest-alembic, scripts) wins over the app's engine.
    connection = config.attributes.get("connection")
    if connection is not None:
        with sqlite_foreign_keys_off(connection):
            run_migrations(connection)
        return
    with db.engine.connect() as connection:
        with migration_lock(connection), sqlite_foreign_keys_off(connection):
            run_migrations(connection)
        connection.commit()


@contextmanager
def migration_lock(connection):
    """Let one process migrate at a time. When several app instances deploy together and
    each runs `flask db upgrade`, the others wait here, then find nothing left to do."""
    dialect = connection.dialect.name
    if dialect == "postgresql":  # advisory locks are per database; this one waits
        lock = sa.text("SELECT 1 FROM pg_advisory_lock(:key)"), {"key": LOCK_KEY}
        unlock = sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY}
    elif dialect in ("mysql", "mariadb"):  # GET_LOCK names are server-wide
        name = f"alembic:{connection.exec_driver_sql('SELECT DATABASE()').scalar()}"
        lock = sa.text("SELECT GET_LOCK(:name, :seconds)"), {"name": name, "seconds": 600}
        unlock = sa.text("SELECT RELEASE_LOCK(:name)"), {"name": name}
    else:  # SQLite: one writer at a time already
        yield
        return
    if connection.execute(*lock).scalar() != 1:
        raise RuntimeError("another process held the migration lock for 10 minutes")
    connection.commit()  # session-level locks outlive the transaction; migrations start clean
    try:
        yield
    finally:
        connection.rollback()
        connection.execute(*unlock)
        connection.commit()


@contextmanager
def sqlite_foreign_keys_off(connection):
    """On SQLite, turn foreign keys off while migrating, check them after, restore them."""
    if connection.dialect.name != "sqlite":
        yield
        return
    # The pragma is a no-op inside a transaction: end the implicit one first.
    connection.commit()
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"the migration left rows with broken foreign keys: {broken}")
    finally:
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
