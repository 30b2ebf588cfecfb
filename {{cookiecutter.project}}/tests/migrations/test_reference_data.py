"""Reference data comes with the schema: `flask db upgrade` alone makes the roles."""

import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config
from {{ cookiecutter.package }}.models import Role


def roles_in_the_database():
    rows = db.session.execute(sa.select(Role.name, Role.permissions, Role.default)).all()
    return {name: (permissions, bool(default)) for name, permissions, default in rows}


def test_upgrade_makes_the_roles_the_models_expect(app):
    """Change Role.PERMISSIONS and this fails until a revision updates the rows too."""
    command.upgrade(alembic_config(), "heads")
    expected = {
        name: (int(permissions), name == Role.DEFAULT)
        for name, permissions in Role.PERMISSIONS.items()
    }
    assert roles_in_the_database() == expected


def test_upgrade_keeps_roles_a_database_already_has(app):
    """Databases made before the roles revision got the same rows from `flask seed`."""
    command.upgrade(alembic_config(), "0002")
    db.session.add(Role(name="User", permissions=1, default=True))
    db.session.commit()
    command.upgrade(alembic_config(), "heads")
    assert sorted(roles_in_the_database()) == sorted(Role.PERMISSIONS)
