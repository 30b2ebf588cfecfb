from contextlib import suppress
from functools import cache

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..extensions import bcrypt, db
from ..models import User
from . import auth
from .forms import LoginForm, RegistrationForm


def is_safe_next(url):
    """True only for a path on this site, such as "/u/alice".

    Browsers read "//evil.com" and "/\\evil.com" as other hosts, and drop tabs and
    newlines ("/\\t/evil.com" becomes "//evil.com"), so those are refused along with
    anything that has a scheme ("https:", "javascript:").
    """
    return (
        bool(url)
        and url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and not any(ord(char) < 32 or ord(char) == 127 for char in url)
    )


@auth.route("/register", methods=["GET", "POST"])
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
            # Someone took the name or email between the form's check and this insert.
            db.session.rollback()
            flash("That username or email is already registered.", "danger")
        else:
            login_user(user)
            flash(f"Welcome, {user.username}! You are logged in.", "success")
            return redirect(url_for("board.index"))
    return render_template("auth/register.html", form=form)


@auth.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("board.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(sa.select(User).filter_by(email=form.email.data))
        if user is None:
            # Hash anyway, so the response time does not reveal which emails have accounts.
            check_dummy_password(form.password.data)
        elif user.verify_password(form.password.data):
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.username}!", "success")
            next_url = request.args.get("next")
            return redirect(next_url if is_safe_next(next_url) else url_for("board.index"))
        flash("Invalid email or password.", "danger")
    return render_template("auth/login.html", form=form)


@auth.post("/logout")
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("board.index"))


def check_dummy_password(password):
    """Run one bcrypt check that always fails, at the app's usual cost."""
    with suppress(ValueError):  # bcrypt refuses passwords over 72 bytes, as for real users.
        bcrypt.check_password_hash(dummy_hash(current_app.config["BCRYPT_LOG_ROUNDS"]), password)


@cache
def dummy_hash(rounds):
    # Made once per process with the same cost as real hashes: a hard-coded hash
    # would fall out of step with BCRYPT_LOG_ROUNDS.
    return bcrypt.generate_password_hash("not anyone's password", rounds)
