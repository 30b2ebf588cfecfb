"""The revision history itself: one head, and SQL that compiles for every server database."""

import io

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.migration_state import alembic_config

# Offline mode needs only the dialect: no driver, no server.
OFFLINE_URLS = {
    "postgresql": "postgresql+psycopg://user@nohost/db",
    "mysql": "mysql+pymysql://user@nohost/db?charset=utf8mb4",
}


def test_history_has_a_single_head():
    with create_app("testing").app_context():
        heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several heads {heads}: run `flask db merge heads -m merge`"


@pytest.mark.parametrize("dialect", sorted(OFFLINE_URLS))
def test_every_revision_compiles_offline(dialect):
    """What `flask db upgrade --sql` and `flask db downgrade --sql` print, for each server."""
    with create_app("testing").app_context():
        config = alembic_config()
        # The app stays on SQLite: only the SQL is written for the other database, so
        # neither its driver nor a server is needed.
        config.set_main_option("sqlalchemy.url", OFFLINE_URLS[dialect])
        config.output_buffer = io.StringIO()
        command.upgrade(config, "heads", sql=True)
        command.downgrade(config, "heads:base", sql=True)
    sql = config.output_buffer.getvalue()
    assert "CREATE TABLE messages" in sql
    assert "DROP TABLE messages" in sql
