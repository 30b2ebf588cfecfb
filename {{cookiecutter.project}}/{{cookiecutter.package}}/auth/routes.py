import logging
from contextlib import suppress
from functools import cache

import sqlalchemy as sa
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_fresh, login_required, login_user, logout_user

from .. import mail
from ..audit import log_event
from ..extensions import bcrypt, db, limiter
from ..models import User, normalize_email
from ..redirects import is_safe_next
from . import bp
from .forms import UNAVAILABLE, LoginForm, PasswordChangeForm, RegistrationForm


def login_failure_limit():
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def registration_limit():
    return current_app.config["REGISTRATION_LIMIT"]


def login_account():
    """The rate limit key for the account a login tries: its email, as the form reads it."""
    return "account:" + (normalize_email(request.form.get("email")) or "")


def login_failed(_response):
    # Only failed password checks count: a user who logs in often is never locked out.
    return g.get("login_failed", False)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(registration_limit, key_func=get_remote_address, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("board.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        user = User(
            username=form.username.data, email=form.email.data, password=form.password.data
        )
        db.session.add(user)
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            db.session.rollback()
            if not form.is_taken():
                raise  # a fault of the server, for the log: never hidden as "cannot be used"
            # Someone took the name or email between the form's check and this insert.
            form.form_errors.append(UNAVAILABLE)
        else:
            login_user(user)
            rotate_csrf_token()
            log_event("register", user)
            flash(
                _("Welcome, %(username)s! You are logged in.", username=user.username), "success"
            )
            if current_app.config["EMAIL_CONFIRMATION"] != "off":
                mail.queue("confirm_email", user.email, user)
                db.session.commit()
                flash(
                    _(
                        "We sent a link to %(email)s: open it to confirm your email.",
                        email=user.email,
                    ),
                    "info",
                )
            return redirect(url_for("board.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    login_failure_limit, key_func=login_account, methods=["POST"], deduct_when=login_failed
)
@limiter.limit(
    login_failure_limit, key_func=get_remote_address, methods=["POST"], deduct_when=login_failed
)
def login():
    # A session restored from a remember-me cookie is not fresh: sensitive pages send it
    # here to type the password again.
    if current_user.is_authenticated and login_fresh():
        return redirect(url_for("board.index"))
    # Logged in, not fresh: the account is known, only its password is asked again.
    form = LoginForm(email=current_user.email) if current_user.is_authenticated else LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).filter_by(email=form.email.data))
        if user is None:
            # Hash anyway, so the response time does not reveal which emails have accounts.
            check_dummy_password(form.password.data)
        elif verify_at_full_cost(user, form.password.data):
            if user.password_needs_rehash():
                # Only now is the password known: store it again at today's cost. (The new
                # hash also ends this user's other sessions, see User.get_id.)
                user.password = form.password.data
                db.session.commit()
            login_user(user, remember=form.remember.data)
            rotate_csrf_token()
            log_event("login", user)
            flash(_("Welcome back, %(username)s!", username=user.username), "success")
            next_url = request.args.get("next")
            return redirect(next_url if is_safe_next(next_url) else url_for("board.index"))
        g.login_failed = True
        log_event("login failed", email=form.email.data, level=logging.WARNING)
        flash(_("Invalid email or password."), "danger")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        log_event("logout", current_user)
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("board.index"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session and remember-me cookie of this user, this one included."""
    user = db.session.get(User, current_user.id)
    user.end_every_session()
    db.session.commit()
    log_event("logout everywhere", user)
    logout_user()
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("auth.login"))


def password_change_account():
    return f"password-change:{current_user.id}"


@bp.route("/password", methods=["GET", "POST"])
@login_required
# A stolen session must not become a way to guess the password: wrong current passwords
# count like failed logins, per account.
@limiter.limit(
    login_failure_limit,
    key_func=password_change_account,
    methods=["POST"],
    deduct_when=login_failed,
)
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        if not user.verify_password(form.current.data):
            g.login_failed = True
            form.current.errors.append(_("That is not your current password."))
            log_event("password change refused", user, level=logging.WARNING)
        else:
            user.password = form.password.data
            db.session.commit()
            # The session id includes a fragment of the password hash (User.get_id): every
            # other session and remember-me cookie is now refused. Log this one in again,
            # with a new remember-me cookie if it had one.
            remember_cookie = current_app.config["REMEMBER_COOKIE_NAME"]
            login_user(user, remember=remember_cookie in request.cookies)
            log_event("password changed", user)
            flash(_("Your password is changed. Your other sessions are logged out."), "success")
            return redirect(url_for("board.index"))
    return render_template("auth/password.html", form=form)


def rotate_csrf_token():
    """A new CSRF token from now on: one seen before login (planted, or read over the
    shoulder) is useless after it. Flask-WTF makes a new one when the session has none."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(name, None)
    g.pop(name, None)


def verify_at_full_cost(user, password):
    """user.verify_password, taking as long as a check at BCRYPT_LOG_ROUNDS.

    The seeded admin's hash is cheap (see commands/seed.py) until its first login: without
    the padding, a login on that email would answer faster than one on an unknown email.
    """
    if user.password_needs_rehash():
        check_dummy_password(password)
    return user.verify_password(password)


def check_dummy_password(password):
    """Run one bcrypt check that always fails, at the app's usual cost."""
    with suppress(ValueError):  # bcrypt refuses passwords over 72 bytes, as for real users.
        bcrypt.check_password_hash(dummy_hash(current_app.config["BCRYPT_LOG_ROUNDS"]), password)


@cache
def dummy_hash(rounds):
    # Made once per process with the same cost as real hashes: a hard-coded hash
    # would fall out of step with BCRYPT_LOG_ROUNDS.
    return bcrypt.generate_password_hash("not anyone's password", rounds)
