"""Password reset: "Forgot your password?" mails a link that sets a new one.

The request page answers the same, in the same time, whether the email has an account:
it only queues a mail (mail.py); the sender looks the account up, and mails nothing when
there is none. The link holds a signed token (itsdangerous) that expires after
PASSWORD_RESET_MAX_AGE and names the password it replaces: it works once, and not at all
after any password change.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import mail
from ..audit import log_event
from ..extensions import db, limiter
from ..models import User, normalize_email, utcnow
from . import bp
from .forms import PasswordResetForm, PasswordResetRequestForm


def serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user):
    # The stamp is session_fragment(): an HMAC that changes with the password hash
    # (models.User.get_id). The payload is readable, so it holds nothing secret.
    return serializer().dumps({"user": user.id, "stamp": user.session_fragment()})


def user_for_token(token):
    """The user a valid, unexpired, unused token names, or None."""
    try:
        data = serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
        user = db.session.get(User, int(data["user"]))
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
    if user is None or data.get("stamp") != user.session_fragment():
        return None  # the password changed since: the link was used, or is out of date
    return user


@mail.builder("password_reset")
def password_reset_mail(row):
    user = mail.user_by_email(row.recipient)
    if user is None:
        return None  # no account: no mail, and the page said nothing about it
    link = url_for("auth.reset_password", token=reset_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    return _("Reset your password"), {"user": user, "link": link, "minutes": minutes}


def reset_limit():
    return current_app.config["PASSWORD_RESET_LIMIT"]


def reset_address_limit():
    return current_app.config["PASSWORD_RESET_ADDRESS_LIMIT"]


def reset_account():
    return "reset:" + (normalize_email(request.form.get("email")) or "")


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(reset_limit, key_func=reset_account, methods=["POST"])
@limiter.limit(reset_address_limit, key_func=get_remote_address, methods=["POST"])
def request_reset():
    mail.require_mail()
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        # The same work for every address: queue, commit, the same page.
        mail.queue("password_reset", form.email.data)
        db.session.commit()
        log_event("password reset requested", email=form.email.data)
        return render_template("auth/reset_requested.html")
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    mail.require_mail()
    user = user_for_token(token)
    if user is None:
        reason = _(
            "It has expired, it was used already, or the password changed since it was sent."
        )
        page = render_template(
            "auth/link_invalid.html", reason=reason, new_link_url=url_for("auth.request_reset")
        )
        return page, 400
    form = PasswordResetForm()
    if form.validate_on_submit():
        user.password = form.password.data
        if user.email_confirmed_at is None:
            user.email_confirmed_at = utcnow()  # the link reached this address: it is theirs
        db.session.commit()
        # The new hash ends every session and remember-me cookie of this user (User.get_id)
        # and this link; whoever is logged in on this browser is logged out as well.
        logout_user()
        log_event("password reset", user)
        flash(_("Your password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user)
