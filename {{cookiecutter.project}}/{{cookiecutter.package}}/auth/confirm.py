"""Email confirmation (EMAIL_CONFIRMATION) and changing the email.

Both mail a signed link (itsdangerous) that names the account, the address to confirm and
the address the account has now: it stops working once the account's email changes, and
after EMAIL_CONFIRMATION_MAX_AGE. A new email takes effect only when its link is followed;
until then the account keeps the old one, which gets a notice when the change is asked.
"""

import logging

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, fresh_login_required, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import mail
from ..audit import log_event
from ..extensions import db, limiter
from ..models import User, utcnow
from . import bp
from .forms import EmailChangeForm


def serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email")


def confirmation_token(user, address):
    return serializer().dumps({"user": user.id, "email": address, "current": user.email})


def read_token(token):
    """(user, address to confirm) for a valid token, or (None, None)."""
    try:
        data = serializer().loads(token, max_age=current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
        user = db.session.get(User, int(data["user"]))
        address, current = data["email"], data["current"]
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None, None
    if user is None or user.email != current:
        return None, None  # the account's email changed since the link was sent
    return user, address


@mail.builder("confirm_email")
def confirm_email_mail(row):
    user = db.session.get(User, row.user_id)
    if user is None or user.email != row.recipient or user.email_confirmed_at is not None:
        return None  # changed or confirmed meanwhile: nothing left to confirm
    link = url_for(
        "auth.confirm_email", token=confirmation_token(user, user.email), _external=True
    )
    return _("Confirm your email"), {"user": user, "link": link, "days": max_age_days()}


@mail.builder("change_email")
def change_email_mail(row):
    user = db.session.get(User, row.user_id)
    if user is None or db.session.scalar(sa.select(User.id).filter_by(email=row.recipient)):
        return None  # another account has that address: no mail (the page said nothing)
    link = url_for(
        "auth.confirm_email", token=confirmation_token(user, row.recipient), _external=True
    )
    return _("Confirm your new email"), {"user": user, "link": link, "days": max_age_days()}


@mail.builder("email_change_notice")
def email_change_notice_mail(row):
    user = db.session.get(User, row.user_id)
    if user is None:
        return None
    return _("A change of email was asked for your account"), {"user": user}


def max_age_days():
    return max(1, current_app.config["EMAIL_CONFIRMATION_MAX_AGE"] // 86400)


@bp.get("/confirm/<token>")
def confirm_email(token):
    mail.require_mail()
    user, address = read_token(token)
    if user is None:
        reason = _("It has expired, or the account's email changed since it was sent.")
        return render_template("auth/link_invalid.html", reason=reason), 400
    if address != user.email:
        if db.session.scalar(sa.select(User.id).filter_by(email=address)):
            flash(_("That email is used by another account now: it was not changed."), "danger")
            return redirect(url_for("board.index"))
        old = user.email
        user.email = address
        user.email_confirmed_at = utcnow()
        try:
            db.session.commit()
        except sa.exc.IntegrityError:  # taken by a registration since the check above
            db.session.rollback()
            flash(_("That email is used by another account now: it was not changed."), "danger")
            return redirect(url_for("board.index"))
        log_event("email changed", user, old=old, new=address)
        flash(_("Your email is now %(email)s.", email=address), "success")
    elif user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.commit()
        log_event("email confirmed", user)
        flash(_("Your email is confirmed."), "success")
    else:
        flash(_("Your email was confirmed already."), "info")
    return redirect(url_for("board.index"))


def resend_limit():
    return current_app.config["CONFIRMATION_RESEND_LIMIT"]


def current_account():
    return f"account:{current_user.id}"


@bp.post("/confirm/resend")
@login_required
@limiter.limit(resend_limit, key_func=current_account)
def resend_confirmation():
    mail.require_mail()
    if current_user.email_confirmed_at is not None:
        flash(_("Your email is confirmed already."), "info")
    else:
        mail.queue("confirm_email", current_user.email, current_user)
        db.session.commit()
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "info")
    return redirect(url_for("board.index"))


def email_change_limit():
    return current_app.config["EMAIL_CHANGE_LIMIT"]


@bp.route("/email", methods=["GET", "POST"])
@fresh_login_required
# Every try counts, wrong passwords too: a stolen session cannot guess the password here.
@limiter.limit(
    email_change_limit, key_func=lambda: f"email-change:{current_user.id}", methods=["POST"]
)
def change_email():
    mail.require_mail()
    form = EmailChangeForm()
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        if not user.verify_password(form.current.data):
            form.current.errors.append(_("That is not your current password."))
            log_event("email change refused", user, level=logging.WARNING)
        else:
            # Nothing changes yet: the new address confirms, the old one is told.
            mail.queue("change_email", form.email.data, user)
            mail.queue("email_change_notice", user.email, user)
            db.session.commit()
            log_event("email change asked", user, new=form.email.data)
            flash(
                _(
                    "We sent a link to %(email)s: your email changes when you open it.",
                    email=form.email.data,
                ),
                "info",
            )
            return redirect(url_for("board.index"))
    return render_template("auth/email.html", form=form)
