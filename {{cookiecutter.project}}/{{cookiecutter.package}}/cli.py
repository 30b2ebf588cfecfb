"""`flask seed` and `flask setup`: the project's own commands (see `flask --help`)."""

import logging
import sys
import time

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
@click.option(
    "--demo",
    type=click.IntRange(min=1),
    metavar="N",
    help="Also add N demo messages (fast: a million take seconds) to try the board at size.",
)
@click.option(
    "--users",
    type=click.IntRange(min=1),
    help="How many demo users write them (default: one per 100 messages, at least 10).",
)
def seed_command(admin_email, demo, users):
    """Create or update the roles (and the admin account when asked). Idempotent,
    except --demo, which adds more demo data on every run."""
    from .setup_steps import seed

    summary, password = seed(admin_email)
    click.echo(summary)
    if password:
        print_admin_password(admin_email, password)
    if demo:
        seed_demo(demo, users or min(demo, max(10, demo // 100)))
    elif users:
        raise click.UsageError("--users only goes with --demo N")


def seed_demo(messages, users):
    from .demo_data import load_demo_data

    started = time.perf_counter()
    with click.progressbar(length=messages, label="Demo messages") as bar:
        load_demo_data(messages, users, progress=bar.update)
    seconds = time.perf_counter() - started
    click.echo(
        f"{messages:,} demo messages by {users:,} demo users in {seconds:.1f}s "
        "(demo users cannot log in: their password was random and is not kept)"
    )


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
