"""Upgrading and downgrading, on a real database of each backend."""

import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config, code_heads, database_revisions

from .helpers import revisions_oldest_first, table_names


def test_upgrade_from_empty_reaches_head_and_matches_the_models(app):
    command.upgrade(alembic_config(), "heads")

    assert database_revisions() == code_heads()
    assert table_names() == set(db.metadata.tables)
    # The `flask db check` condition: autogenerate finds nothing left to migrate.
    command.check(alembic_config())


def test_every_revision_upgrades_downgrades_and_upgrades_again(app):
    """The "stairway": each step down undoes exactly what its step up did."""
    config = alembic_config()
    for revision in revisions_oldest_first():
        command.upgrade(config, revision.revision)
        command.downgrade(config, revision.down_revision or "base")
        command.upgrade(config, revision.revision)
    assert database_revisions() == code_heads()


def test_downgrade_to_base_leaves_no_table_or_type_behind(app):
    command.upgrade(alembic_config(), "heads")
    command.downgrade(alembic_config(), "base")

    assert table_names() == set()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            types = connection.execute(
                sa.text(
                    "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                    " WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'c')"
                    " AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)"
                )
            ).all()
        assert types == []


def test_every_constraint_and_index_is_named_by_the_convention(app):
    """Unnamed constraints cannot be altered or dropped later (batch mode needs names)."""
    command.upgrade(alembic_config(), "heads")
    inspector = sa.inspect(db.engine)
    for table in table_names():
        foreign_keys = inspector.get_foreign_keys(table)
        assert all(fk["name"] and fk["name"].startswith("fk_") for fk in foreign_keys), table
        uniques = inspector.get_unique_constraints(table)
        # MySQL reports unique indexes as unique constraints too.
        assert all(uq["name"] and uq["name"].startswith(("uq_", "ix_")) for uq in uniques), table
        indexes = inspector.get_indexes(table)
        # MySQL indexes every foreign key, under the constraint's name.
        prefixes = ("ix_", "uq_", "fk_")
        assert all(ix["name"] and ix["name"].startswith(prefixes) for ix in indexes), table
