"""`flask seed`: the admin account, and demo data to try the board at size.

The roles are not seeded: they are reference data, made by a migration (0003), so that
`flask db upgrade` alone gives a working board.
"""

import itertools
import secrets
import time

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..extensions import bcrypt, db
from ..models import Role, User, normalize_email, utcnow
from .demo_data import load_demo_data


@click.command("seed")
@with_appcontext
@click.option("--admin-email", help="Create an admin account with this email, unless it has one.")
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
    """Create the admin account (safe to repeat: an existing account is kept), and with
    --demo add demo data (more on every run)."""
    if users and not demo:
        raise click.UsageError("--users only goes with --demo N")
    if not (admin_email or demo):
        raise click.UsageError("give --admin-email EMAIL, --demo N, or both")
    if admin_email:
        summary, password = seed(admin_email)
        click.echo(summary)
        if password:
            print_admin_password(admin_email, password)
    if demo:
        seed_demo(demo, users or min(demo, max(10, demo // 100)))


def seed(admin_email):
    """Create an administrator account for `admin_email` unless it has one. Returns (a
    one-line summary, the new account's password or None)."""
    if not admin_email:
        return "no admin email given: no admin account made", None
    admin_email = normalize_email(admin_email)  # as login reads what people type
    if db.session.scalar(sa.select(User).filter_by(email=admin_email)):
        return f"admin {admin_email} already exists", None
    administrator = db.session.scalar(sa.select(Role).filter_by(name="Administrator"))
    if administrator is None:
        raise click.ClickException("no Administrator role: run `flask db upgrade` first")
    password = secrets.token_urlsafe(16)
    # bcrypt's cost slows down guessing weak human passwords. This one is 128 random bits,
    # beyond guessing at any cost, so the minimum cost will do, and saves a third of a
    # second of every project generation. The first login stores it at BCRYPT_LOG_ROUNDS.
    password_hash = bcrypt.generate_password_hash(password, rounds=4).decode()
    username = free_username("admin")
    db.session.add(
        User(
            username=username,
            email=admin_email,
            password_hash=password_hash,
            role=administrator,
            email_confirmed_at=utcnow(),  # the operator gave the address: confirmed
        )
    )
    db.session.commit()
    return f"admin {admin_email} created (username {username})", password


def free_username(base):
    """`base`, or base2, base3 ... : the first that nobody has (in any case)."""
    taken = set(
        db.session.scalars(
            sa.select(sa.func.lower(User.username)).where(User.username.ilike(f"{base}%"))
        )
    )
    candidates = (base if n == 1 else f"{base}{n}" for n in itertools.count(1))
    return next(name for name in candidates if name not in taken)


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
