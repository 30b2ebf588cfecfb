"""`flask users ...`: manage accounts from the command line (see `flask users --help`).

A USER argument is a username or an email address. Passwords are prompted for without
echo; scripts may pass `--password` instead. Every error is one line and exit code 1.

API tokens: `token USER --name NAME` makes one (printed once, stored only as a hash),
`tokens USER` lists them, `revoke-token USER NAME` revokes one.
"""

import click
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from ..extensions import db
from ..models import (
    ApiToken,
    Message,
    Permission,
    Role,
    User,
    normalize_email,
    normalize_username,
    username_key,
    utcnow,
)
from ..passwords import password_problem

users_group = AppGroup(
    "users", help="List, create, change and delete user accounts and their API tokens."
)


def password_option(help_text):
    return click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help=f"{help_text} Prompted for (without echo) when omitted.",
    )


def find_user(identifier):
    """The user with this username (any case) or email, or a one-line error.

    Not stripped: `flask users delete $'admin\n'` must not find "admin"."""
    if "@" in identifier:
        condition = User.email == normalize_email(identifier)
    else:
        condition = User.username_key == username_key(identifier)
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


def check_password(password, username, email):
    """The same rules as the web forms: length, bcrypt's 72 bytes, the common-password list,
    and the strength estimate with the account's username and email as easy guesses."""
    if problem := password_problem(password, [username, email]):
        raise click.ClickException(f"password rejected: {problem}")


def check_username(username):
    username = normalize_username(username)
    low, high = User.USERNAME_MIN_LENGTH, User.USERNAME_MAX_LENGTH
    if not (low <= len(username) <= high and User.USERNAME_PATTERN.fullmatch(username)):
        raise click.ClickException(f"invalid username: {low} to {high} {User.USERNAME_RULE}")
    return username


def check_email(email):
    email = normalize_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.ClickException(f"invalid email {email!r}: {exc}") from exc
    if len(email) > User.EMAIL_MAX_LENGTH:
        raise click.ClickException(
            f"invalid email: longer than {User.EMAIL_MAX_LENGTH} characters"
        )
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
    echo_table(header, table)


def echo_table(header, rows):
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


@users_group.command("create")
@click.argument("username")
@click.argument("email")
@click.option("--role", default=Role.DEFAULT, show_default=True, help="The account's role.")
@password_option("The new account's password.")
def create_user(username, email, role, password):
    """Create an account."""
    username = check_username(username)
    email = check_email(email)
    role = find_role(role)
    check_password(password, username, email)
    taken = User.username_key == username_key(username)
    if db.session.scalar(sa.select(User.id).where(taken)):
        raise click.ClickException(f"username {username!r} is taken")
    if db.session.scalar(sa.select(User.id).filter_by(email=email)):
        raise click.ClickException(f"email {email!r} is already registered")
    # An operator typed the address: it counts as confirmed (no link is mailed).
    user = User(username=username, email=email, password=password, role=role)
    user.email_confirmed_at = utcnow()
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {username} <{email}> ({role.name}).")


@users_group.command("set-password")
@click.argument("user")
@password_option("The new password.")
def set_password(user, password):
    """Replace USER's password."""
    user = find_user(user)
    check_password(password, user.username, user.email)
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
    if not role.has_permission(Permission.ADMIN):
        refuse_if_last_administrator(user, f"make them {role.name}")
    user.role = role
    db.session.commit()
    click.echo(f"{user.username} is now {role.name}.")


@users_group.command("delete")
@click.argument("user")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_user(user, yes):
    """Delete USER, every message they wrote and their API tokens."""
    user = find_user(user)
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Message).filter_by(author_id=user.id)
    )
    if not yes:
        click.confirm(
            f"Delete {user.username} <{user.email}> and their {count} message(s)?", abort=True
        )
    # After the question: the check locks the administrators' rows until the commit.
    refuse_if_last_administrator(user, "delete them")
    # Explicitly, so it does not depend on the database enforcing ON DELETE CASCADE.
    db.session.execute(sa.delete(Message).filter_by(author_id=user.id))
    db.session.execute(sa.delete(ApiToken).filter_by(user_id=user.id))
    db.session.delete(user)
    db.session.commit()
    click.echo(f"Deleted {user.username} and {count} message(s).")


def refuse_if_last_administrator(user, action):
    """As the admin page does: the board always keeps an administrator."""
    if user.is_administrator and user.is_last_administrator():
        raise click.ClickException(
            f"{user.username} is the last administrator: make someone else an "
            f"administrator (flask users set-role USER Administrator) before you {action}"
        )


def time_or_never(moment):
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


@users_group.command("token")
@click.argument("user")
@click.option("--name", required=True, help="What the token is for, such as laptop.")
def create_token(user, name):
    """Make an API token for USER and print it (once: only its hash is stored)."""
    user = find_user(user)
    name = name.strip()
    if not 1 <= len(name) <= ApiToken.NAME_MAX_LENGTH:
        raise click.ClickException(f"invalid name: 1 to {ApiToken.NAME_MAX_LENGTH} characters")
    if ApiToken.named(user, name):
        raise click.ClickException(f"{user.username} already has a token named {name!r}")
    _, secret = ApiToken.issue(user, name)
    db.session.commit()
    click.echo(f"API token {name!r} for {user.username} (shown only this once):\n{secret}")


@users_group.command("tokens")
@click.argument("user")
def list_tokens(user):
    """Show USER's API tokens (never the tokens themselves: they are not stored)."""
    user = find_user(user)
    tokens = db.session.scalars(
        sa.select(ApiToken).filter_by(user_id=user.id).order_by(ApiToken.created_at)
    ).all()
    if not tokens:
        click.echo(f"{user.username} has no API tokens.")
        return
    header = ("id", "name", "created (UTC)", "last used (UTC, to the hour)")
    rows = [
        (
            str(token.id),
            token.name,
            time_or_never(token.created_at),
            time_or_never(token.last_used_at),
        )
        for token in tokens
    ]
    echo_table(header, rows)


@users_group.command("revoke-token")
@click.argument("user")
@click.argument("name")
def revoke_token(user, name):
    """Revoke USER's API token called NAME: requests with it get 401 from now on."""
    user = find_user(user)
    token = ApiToken.named(user, name.strip())
    if token is None:
        raise click.ClickException(f"{user.username} has no token named {name!r}")
    name = token.name
    db.session.delete(token)
    db.session.commit()
    click.echo(f"Revoked the token {name!r} of {user.username}.")
