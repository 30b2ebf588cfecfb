"""The roles: reference data that every database needs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Rows, not schema: without a default role nobody can register, so they come with the
schema, and `flask db upgrade` alone gives a board that works. The rows are written
out here, not read from Role.PERMISSIONS: a revision must do the same thing in a year,
whatever the models say then. To change roles later, add a revision that updates
these rows and change Role.PERMISSIONS to match (README: "Reference data");
tests/migrations/test_reference_data.py checks that the two agree.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

roles = sa.table(
    "roles",
    sa.column("name", sa.String),
    sa.column("permissions", sa.Integer),
    sa.column("default", sa.Boolean),
)

# Permissions are bits: 1 write, 2 moderate, 4 administer.
ROLES = [
    {"name": "User", "permissions": 1, "default": True},
    {"name": "Moderator", "permissions": 3, "default": False},
    {"name": "Administrator", "permissions": 7, "default": False},
]


def upgrade():
    # Only the roles that are missing: databases made before this revision got the same
    # rows from `flask seed`. INSERT ... SELECT ... WHERE NOT EXISTS runs on every
    # database, and in `flask db upgrade --sql` too (no reading back needed).
    for role in ROLES:
        values = sa.select(
            sa.literal(role["name"]), sa.literal(role["permissions"]), sa.literal(role["default"])
        ).where(~sa.exists().where(roles.c.name == role["name"]))
        op.execute(roles.insert().from_select(["name", "permissions", "default"], values))


def downgrade():
    # The rows stay: users refer to them, and before this revision the same rows came
    # from `flask seed`.
    pass
