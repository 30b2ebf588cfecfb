"""`flask users ...`: manage accounts from the command line (see `flask users --help`).

A USER argument is a username or an email address. Passwords are prompted for without
echo; scripts may pass `--password` instead. Every error is one line and exit code 1.
"""

import re

import click
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from .auth.passwords import password_problem
from .extensions import db
from .models import Message, Role, User

users_group = AppGroup("users", help="List, create, change and delete user accounts.")

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")


def password_option(help_text):
    return click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help=f"{help_text} Prompted for (without echo) when omitted.",
    )


def find_user(identifier):
    """The user with this username (any case) or email, or a one-line error."""
    identifier = identifier.strip()
    if "@" in identifier:
        condition = User.email == identifier.lower()
    else:
        condition = sa.func.lower(User.username) == identifier.lower()
    user = db.session.scalar(sa.select(User).where(condition))
    if user is None:
        raise click.ClickException(f"no user {identifier!r} (give a username or an email)")
    return user


def find_role(name):
    role = db.session.scalar(sa.select(Role).where(sa.func.lower(Role.name) == name.lower()))
    if role is None:
        choices = ", ".join(Role.PERMISSIONS)
        raise click.ClickException(f"no role {name!r} (choose one of: {choices})")
    return role


def check_password(password):
    """The same rules as the web forms: length, bcrypt's 72 bytes, the common-password list."""
    if problem := password_problem(password):
        raise click.ClickException(f"password rejected: {problem}")


def check_email(email):
    email = email.strip().lower()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.ClickException(f"invalid email {email!r}: {exc}") from exc
    if len(email) > 191:
        raise click.ClickException("invalid email: longer than 191 characters")
    return email


@users_group.command("list")
def list_users():
    """Show every account with its role and number of messages."""
    counts = (
        sa.select(Message.author_id, sa.func.count().label("n"))
        .group_by(Message.author_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(User, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.author_id == User.id)
        .order_by(User.id)
    ).all()
    if not rows:
        click.echo("No users.")
        return
    header = ("id", "username", "email", "role", "messages", "created (UTC)")
    table = [
        (
            str(user.id),
            user.username,
            user.email,
            user.role.name if user.role else "-",
            str(count),
            user.created_at.strftime("%Y-%m-%d %H:%M"),
        )
        for user, count in rows
    ]
    widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


@users_group.command("create")
@click.argument("username")
@click.argument("email")
@click.option("--role", default=Role.DEFAULT, show_default=True, help="The account's role.")
@password_option("The new account's password.")
def create_user(username, email, role, password):
    """Create an account."""
    if not USERNAME.match(username):
        raise click.ClickException(
            "invalid username: 3 to 64 letters, digits, underscores, hyphens or dots"
        )
    email = check_email(email)
    role = find_role(role)
    check_password(password)
    taken = sa.func.lower(User.username) == username.lower()
    if db.session.scalar(sa.select(User.id).where(taken)):
        raise click.ClickException(f"username {username!r} is taken")
    if db.session.scalar(sa.select(User.id).filter_by(email=email)):
        raise click.ClickException(f"email {email!r} is already registered")
    db.session.add(User(username=username, email=email, password=password, role=role))
    db.session.commit()
    click.echo(f"Created {username} <{email}> ({role.name}).")


@users_group.command("set-password")
@click.argument("user")
@password_option("The new password.")
def set_password(user, password):
    """Replace USER's password."""
    user = find_user(user)
    check_password(password)
    user.password = password
    db.session.commit()
    click.echo(f"Password of {user.username} changed.")


@users_group.command("set-role")
@click.argument("user")
@click.argument("role")
def set_role(user, role):
    """Give USER the role ROLE (User, Moderator or Administrator)."""
    user = find_user(user)
    role = find_role(role)
    user.role = role
    db.session.commit()
    click.echo(f"{user.username} is now {role.name}.")


@users_group.command("delete")
@click.argument("user")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_user(user, yes):
    """Delete USER and every message they wrote."""
    user = find_user(user)
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Message).filter_by(author_id=user.id)
    )
    if not yes:
        click.confirm(
            f"Delete {user.username} <{user.email}> and their {count} message(s)?", abort=True
        )
    # Explicitly, so it does not depend on the database enforcing ON DELETE CASCADE.
    db.session.execute(sa.delete(Message).filter_by(author_id=user.id))
    db.session.delete(user)
    db.session.commit()
    click.echo(f"Deleted {user.username} and {count} message(s).")
