"""Outgoing mail: queued in the database, sent outside the request.

A view calls `queue("password_reset", address)`: one row in the mail_outbox table, in the
view's own transaction. A sender builds each mail from its templates (mail/<kind>.txt and
mail/<kind>.html) and hands it to Flask-Mailman:

- the sender thread of each web process (MAIL_SEND_IN_BACKGROUND), woken when a request
  queues mail and every MAIL_RETRY_SECONDS;
- `flask mail send` (once) or `flask mail send --watch` (a worker process).

So no request waits for the mail server, nothing is lost when the server is down or the
process restarts, and several senders at once never send one mail twice (claim()).
"""

import logging
import os
import threading
from datetime import timedelta

import sqlalchemy as sa
from flask import abort, after_this_request, current_app, render_template, request
from flask_mailman import EmailMultiAlternatives, Mail

from .extensions import db
from .models import OutgoingMail, User, utcnow

log = logging.getLogger(__name__)
mailman = Mail()

# kind -> function(row) returning (subject, template context) or None (nothing to send).
BUILDERS = {}

# A sender that took a row has this long to send it before another may take it again.
CLAIM_SECONDS = 300


def init_app(app):
    if not app.config["MAIL_SERVER"] and "MAIL_BACKEND" not in app.config:
        # No mail server: print each mail in the terminal that runs the app (production
        # refuses to start this way, see check_production_settings).
        app.config["MAIL_BACKEND"] = "console"
    mailman.init_app(app)
    app.extensions["mail_sender"] = Sender(app)
    if app.config["MAIL_ENABLED"] and app.config["MAIL_SEND_IN_BACKGROUND"]:
        # Started by the first request, in the process that serves it (not in a gunicorn
        # master that forks later, nor in `flask db upgrade`): it sends what an earlier
        # process left in the outbox too.
        app.before_request(app.extensions["mail_sender"].start)


def require_mail():
    """404 for pages that only make sense with mail (MAIL_ENABLED=false switches it off)."""
    if not current_app.config["MAIL_ENABLED"]:
        abort(404)


def builder(kind):
    """Register the function that builds the mail of one kind (see BUILDERS)."""

    def register(function):
        BUILDERS[kind] = function
        return function

    return register


def queue(kind, recipient, user=None):
    """Add a mail to the outbox, in the current transaction: the caller (a view: links use
    the address the request came to) commits, and the sender wakes after the request."""
    db.session.add(
        OutgoingMail(
            kind=kind,
            recipient=recipient,
            user_id=user.id if user is not None else None,
            site_url=request.host_url,
        )
    )
    current_app.extensions["mail_sender"].wake_after_request()


def send_pending(limit=100):
    """Send the mail whose time has come; returns how many left the outbox (sent, or with
    nothing to send). Needs an app context."""
    sent = 0
    now = utcnow()
    query = (
        sa.select(OutgoingMail.id, OutgoingMail.attempts)
        .where(OutgoingMail.next_attempt_at <= now)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(limit)
    )
    for mail_id, attempts in db.session.execute(query).all():
        row = claim(mail_id, attempts)
        if row is not None and send(row):
            sent += 1
    return sent


def claim(mail_id, attempts):
    """Take one row for this sender, or None when another sender took it first.

    The UPDATE only matches while `attempts` is what this sender read, so of two senders
    only one gets a row count of 1; the row then waits CLAIM_SECONDS for this one.
    """
    result = db.session.execute(
        sa.update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.attempts == attempts)
        .values(
            attempts=attempts + 1,
            next_attempt_at=utcnow() + timedelta(seconds=CLAIM_SECONDS),
        )
    )
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(OutgoingMail, mail_id)


def send(row):
    """Build and send one claimed row. Sent (or nothing to send): the row goes. Failed:
    the row stays for a later attempt, and the error is logged."""
    # A request context for the site's address as the queuing request saw it, so that
    # builders and templates make links with url_for(..., _external=True).
    with current_app.test_request_context(base_url=row.site_url):
        built = BUILDERS[row.kind](row)
        if built is not None:
            subject, context = built
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_template(f"mail/{row.kind}.txt", **context),
                to=[row.recipient],
            )
            html = render_template(f"mail/{row.kind}.html", **context)
            message.attach_alternative(html, "text/html")
    if built is not None:
        try:
            message.send()
        except Exception as error:  # any failure of the server or the network
            delay = min(
                current_app.config["MAIL_RETRY_SECONDS"] * 2 ** (row.attempts - 1),
                current_app.config["MAIL_RETRY_MAX_SECONDS"],
            )
            row.last_error = f"{type(error).__name__}: {error}"[:255]
            row.next_attempt_at = utcnow() + timedelta(seconds=delay)
            log.error(
                "mail %s (%s to %s) not sent, attempt %s, next in %ss: %s",
                row.id,
                row.kind,
                row.recipient,
                row.attempts,
                delay,
                row.last_error,
            )
            db.session.commit()  # after the log line: whoever sees the error row finds it logged
            return False
        log.info("mail %s (%s) sent to %s", row.id, row.kind, row.recipient)
    db.session.delete(row)
    db.session.commit()
    return True


def user_by_email(address):
    return db.session.scalar(sa.select(User).filter_by(email=address))


class Sender:
    """The sender thread of one web process (a daemon: it ends with the process)."""

    def __init__(self, app):
        self.app = app
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.thread = None
        self.pid = None

    def start(self):
        # Cheap enough for every request: a forked worker has no thread of its own yet.
        if self.thread is not None and self.pid == os.getpid():
            return
        with self.lock:
            if self.thread is None or self.pid != os.getpid():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self.run, name="mail-sender", daemon=True)
                self.thread.start()

    def wake_after_request(self):
        if self.app.config["MAIL_SEND_IN_BACKGROUND"]:
            # After the view: the row is committed by then, and the request never waits.
            @after_this_request
            def wake(response):
                self.wake.set()
                return response

    def run(self):
        while True:
            self.wake.wait(timeout=self.app.config["MAIL_RETRY_SECONDS"])
            self.wake.clear()
            try:
                with self.app.app_context():
                    while send_pending():
                        pass
            except Exception:  # a database outage must not end the thread
                log.exception("the mail sender failed; it tries again shortly")
