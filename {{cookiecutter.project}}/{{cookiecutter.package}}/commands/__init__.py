"""The project's own commands (see `flask --help`): `flask setup`, `flask seed` and
`flask users ...`, `flask mail ...`, `flask cache ...`, each in its own module here."""

# Registers the "ruff" post-write hook that migrations/alembic.ini names for `flask db ...`.
from .. import migration_review  # noqa: F401
from .cache import cache_group
from .mail import mail_group
from .seed import seed_command
from .setup import setup_command
from .users import users_group


def init_app(app):
    app.cli.add_command(setup_command)
    app.cli.add_command(seed_command)
    app.cli.add_command(users_group)
    app.cli.add_command(mail_group)
    app.cli.add_command(cache_group)

    @app.shell_context_processor
    def shell_context():
        from .. import models
        from ..extensions import db

        return {
            "db": db,
            "User": models.User,
            "Role": models.Role,
            "Message": models.Message,
            "ApiToken": models.ApiToken,
            "OutgoingMail": models.OutgoingMail,
        }
