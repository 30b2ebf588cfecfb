"""`flask seed` and `flask setup`: the project's own commands (see `flask --help`)."""

import logging
import sys

import click
from flask.cli import with_appcontext

from .setup_steps import SetupError, run_setup
from .users_cli import users_group


def init_app(app):
    app.cli.add_command(seed_command)
    app.cli.add_command(setup_command)
    app.cli.add_command(users_group)


@click.command("seed")
@with_appcontext
@click.option("--admin-email", help="Also create an admin account with this email.")
def seed_command(admin_email):
    """Create or update the roles (and the admin account when asked). Idempotent."""
    from .setup_steps import seed

    summary, password = seed(admin_email)
    click.echo(summary)
    if password:
        print_admin_password(admin_email, password)


@click.command("setup")
@with_appcontext
@click.option("--admin-email", help="Create an admin account with this email if none exists.")
def setup_command(admin_email):
    """Create the database, migrate it to head and seed it. Safe to run again."""
    # Each step prints its own line: keep Alembic's INFO chatter out of the way.
    logging.basicConfig(level=logging.WARNING, format="    %(name)s: %(message)s")
    try:
        password = run_setup(admin_email, echo=click.echo)
    except SetupError as exc:
        click.secho(f"Setup stopped: {exc}", fg="red", err=True)
        sys.exit(1)
    if password:
        print_admin_password(admin_email, password)


def print_admin_password(email, password):
    click.echo(
        f"\nAdmin account: {email} / {password}\n"
        "This password is shown once and stored nowhere: change it after logging in."
    )
