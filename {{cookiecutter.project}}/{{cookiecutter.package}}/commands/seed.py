"""`flask seed`: the roles, the admin account when asked, and demo data to try the board
at size."""

import secrets
import time

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..extensions import bcrypt, db
from ..models import Role, User, normalize_email
from .demo_data import load_demo_data


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
    summary, password = seed(admin_email)
    click.echo(summary)
    if password:
        print_admin_password(admin_email, password)
    if demo:
        seed_demo(demo, users or min(demo, max(10, demo // 100)))
    elif users:
        raise click.UsageError("--users only goes with --demo N")


def seed(admin_email):
    """Make the roles match Role.PERMISSIONS, and create the admin account if `admin_email`
    has none. Returns (a one-line summary, the new admin's password or None)."""
    Role.insert_roles()
    summary = f"{len(Role.PERMISSIONS)} roles"
    if not admin_email:
        return summary, None
    admin_email = normalize_email(admin_email)  # as login reads what people type
    if db.session.scalar(sa.select(User).filter_by(email=admin_email)):
        return f"{summary}; admin {admin_email} already exists", None
    password = secrets.token_urlsafe(16)
    administrator = db.session.scalar(sa.select(Role).filter_by(name="Administrator"))
    # bcrypt's cost slows down guessing weak human passwords. This one is 128 random bits,
    # beyond guessing at any cost, so the minimum cost will do, and saves a third of a
    # second of every project generation. The first login stores it at BCRYPT_LOG_ROUNDS.
    password_hash = bcrypt.generate_password_hash(password, rounds=4).decode()
    db.session.add(
        User(username="admin", email=admin_email, password_hash=password_hash, role=administrator)
    )
    db.session.commit()
    return f"{summary}; admin {admin_email} created", password


def print_admin_password(email, password):
    click.echo(
        f"\nAdmin account: {email} / {password}\n"
        "This password is shown once and stored nowhere: change it after logging in."
    )


def seed_demo(messages, users):
    started = time.perf_counter()
    with click.progressbar(length=messages, label="Demo messages") as bar:
        load_demo_data(messages, users, progress=bar.update)
    seconds = time.perf_counter() - started
    click.echo(
        f"{messages:,} demo messages by {users:,} demo users in {seconds:.1f}s "
        "(demo users cannot log in: their password was random and is not kept)"
    )
