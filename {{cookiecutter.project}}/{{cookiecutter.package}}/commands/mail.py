"""`flask mail ...`: the outbox (see mail.py).

`flask mail send` sends what is due and exits; `--watch` keeps sending, as a worker
process next to the web processes (README, "Mail"). `flask mail status` counts the outbox.
"""

import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from .. import mail
from ..extensions import db
from ..models import OutgoingMail, utcnow

mail_group = AppGroup("mail", help="Send the mail waiting in the outbox.")


@mail_group.command("send")
@click.option("--watch", is_flag=True, help="Keep running: send new mail as it is queued.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="With --watch, seconds between looks at the outbox.",
)
def send_command(watch, interval):
    """Send the mail that is due (failed mail waits for its next attempt)."""
    if not current_app.config["MAIL_ENABLED"]:
        raise click.ClickException("mail is switched off (MAIL_ENABLED=false)")
    while True:
        sent = 0
        while count := mail.send_pending():
            sent += count
        if not watch:
            waiting = db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingMail))
            click.echo(f"{sent} sent, {waiting} waiting (see the log for errors)")
            return
        if sent:
            click.echo(f"{sent} sent")
        time.sleep(interval)


@mail_group.command("status")
def status_command():
    """Count the mail waiting, and show the last error of each that failed."""
    rows = db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)).all()
    now = utcnow()
    click.echo(f"{len(rows)} waiting")
    for row in rows:
        if row.last_error:
            due = max(0, int((row.next_attempt_at - now).total_seconds()))
            click.echo(
                f"{row.id} {row.kind} to {row.recipient}: {row.attempts} attempts, "
                f"next in {due}s, last error: {row.last_error}"
            )
