"""Who is calling: the owner of a Bearer token, or the user of the session cookie.

`Authorization: Bearer <token>` acts as the token's owner, and a bad token is a 401, even
where no login is needed: a client that sends one never silently runs as anonymous.
Without that header the API sees the logged-in user of the board (a script in the
browser), whose writes need the CSRF token as the board's forms do.
"""

import logging
from functools import wraps

from flask import abort, current_app, g, request
from flask_login import current_user
from werkzeug.datastructures import WWWAuthenticate

from ..audit import log_event
from ..extensions import csrf, db
from ..models import ApiToken
from . import bp


@bp.before_request
def authenticate():
    if "Authorization" in request.headers:
        authenticate_token(request.headers["Authorization"])
    elif current_user.is_authenticated and current_app.config["WTF_CSRF_ENABLED"]:
        # Any site can make a browser send its cookies; only this site's pages know the
        # CSRF token (X-CSRFToken header). protect() checks POST, PUT, PATCH and DELETE.
        csrf.protect()


def authenticate_token(header):
    scheme, _, secret = header.partition(" ")
    token = ApiToken.find(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        log_event("api token refused", level=logging.WARNING, path=request.path)
        unauthorized("The token is malformed, unknown or revoked.", error="invalid_token")
    if token.record_use():
        db.session.commit()
    # current_user for this request only. login_user() would put the user in the session
    # cookie: a token request neither reads nor sets one. (Flask-Login keeps the request's
    # user in g._login_user; tests/test_api.py fails if that ever changes.)
    g._login_user = token.user


def unauthorized(message, **params):
    """401 with `WWW-Authenticate: Bearer`: the API takes tokens."""
    abort(401, message, www_authenticate=WWWAuthenticate("Bearer", params or None))


def authentication_required(view):
    """The API's login_required: a 401 asking for a token, not a redirect to a login page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            unauthorized("Send Authorization: Bearer <token> (see README.md, API).")
        return view(*args, **kwargs)

    return wrapper
