"""Revision 0005 on every database: accounts made before it count as confirmed."""

import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config

from .test_data import fill_every_table


def test_existing_accounts_are_confirmed_since_their_creation(app):
    config = alembic_config()
    command.upgrade(config, "0003")
    fill_every_table()
    command.upgrade(config, "0005")
    users = sa.table("users", sa.column("created_at"), sa.column("email_confirmed_at"))
    with db.engine.connect() as connection:
        rows = connection.execute(sa.select(users.c.created_at, users.c.email_confirmed_at))
        pairs = rows.all()
    assert len(pairs) == 3
    assert all(created == confirmed for created, confirmed in pairs)

    command.downgrade(config, "0004")  # and back: the column goes, the users stay
    with db.engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(sa.table("users"))) == 3
