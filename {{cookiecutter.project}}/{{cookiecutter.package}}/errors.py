"""Error responses: pages in the site's layout (never a traceback, never Werkzeug's plain
page), and JSON for the API. This is the one place that decides which, and what each says."""

import math
import time
from contextlib import suppress
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template, request
from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from .extensions import db, limiter, login_manager

# Each status's page: its heading, and a sentence saying what happened and what to do,
# in the reader's language (lazy: read when a page is drawn, not at import).
# Statuses not listed here get Werkzeug's own name and description, in the same layout.
PAGES = {
    400: (_l("Bad request"), _l("%(description)s Go back, reload the page and try again.")),
    403: (
        _l("Not allowed"),
        _l("You are not allowed to do that. If you think you should be, ask an administrator."),
    ),
    404: (
        _l("Page not found"),
        _l("There is nothing at this address. Check the link, or start again from the board."),
    ),
    405: (
        _l("Not possible here"),
        _l(
            "This address does not take that kind of request. "
            "Use the site's own links and buttons."
        ),
    ),
    413: (
        _l("Too large"),
        _l("What you sent is larger than the site accepts (at most %(max_size)s). Send less."),
    ),
    429: (
        _l("Too many attempts"),
        _l(
            "There were too many attempts in a short time, so this one was refused without "
            "being checked, even if it was right. Try again in %(retry_after)s."
        ),
    ),
    500: (_l("Something went wrong"), _l("The error is logged. Please try again in a moment.")),
    503: (
        _l("Try again shortly"),
        _l("The site cannot reach its database just now. Please try again in a minute."),
    ),
}

# The migration guard's 503: not a passing outage, someone has to run a command.
NOT_READY = (
    _l("Not available yet"),
    _l("The site cannot use its database yet. An administrator can fix it:"),
)

# The API's machine-readable names for the statuses it sends.
API_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "unprocessable",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def init_app(app):
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(500, server_error)
    # Raised when the database cannot be reached (or is locked, or out of connections).
    app.register_error_handler(sa.exc.OperationalError, database_unavailable)


def is_api_request():
    # The path as well as the blueprint: a URL that matches no route (404) or no method
    # (405) has no blueprint, and still deserves JSON when it is under /api/.
    return request.blueprint == "api" or request.path.startswith("/api/")


def api_error(status, message, headers=()):
    """The API's one error shape: {"error": {"status", "code", "message"}}."""
    code = API_ERROR_CODES.get(status, "error")
    return {"error": {"status": status, "code": code, "message": message}}, status, headers


def error_page(status, title, sentence, headers=(), details=None, with_user=True):
    """A page in the site's layout. `with_user=False` when the database is what failed:
    no current user, and no navigation (which is drawn for the current user)."""
    if not with_user:
        # Flask-Login loads the current user for every template, from the database that
        # just failed. This request goes on as a visitor's; the session, and with it the
        # login, stays. (The method is Flask-Login's own way to set the request's user.)
        login_manager._update_request_context_with_user()
    page = render_template(
        "errors/error.html", title=title, sentence=sentence, details=details, with_user=with_user
    )
    return page, status, headers


def http_error(error):
    # Keep headers such as Allow (405) and WWW-Authenticate (401); the body is ours.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if error.code == 429:
        return too_many_requests(error, headers)
    if is_api_request():
        return api_error(error.code, error.description, headers)
    if error.code not in PAGES:
        return error_page(error.code, error.name, error.description, headers)
    title, sentence = PAGES[error.code]
    # A description the app wrote (abort(400, _l(...))) is in the reader's language already.
    fields = {"description": error.description}
    if error.code == 413:
        fields["max_size"] = size_in_words(request.max_content_length)
    return error_page(error.code, title, sentence % fields, headers)


def too_many_requests(error, headers):
    """429 says when to try again, in words and in Retry-After: when the limit that
    refused the request (Flask-Limiter's current limit) lets the next one through."""
    seconds = seconds_until_reset()
    headers = [*headers, ("Retry-After", str(seconds))]
    if is_api_request():
        message = f"Too many requests ({error.description}). Try again in {seconds} seconds."
        return api_error(429, message, headers)
    title, sentence = PAGES[429]
    return error_page(429, title, sentence % {"retry_after": duration_in_words(seconds)}, headers)


def seconds_until_reset():
    limit = limiter.current_limit
    if limit is None:  # raised by hand (abort(429)): no window to read
        return 60
    return max(1, math.ceil(limit.window.reset_time - time.time()))


def duration_in_words(seconds):
    """ "1 second", "45 seconds", "2 minutes", "1 hour" in the reader's language: rounded
    up (Babel would round 61 seconds down to "1 minute"), never to zero."""
    for size in (3600, 60, 1):
        if seconds >= size or size == 1:
            whole = timedelta(seconds=math.ceil(seconds / size) * size)
            return format_timedelta(whole, threshold=1)


def size_in_words(size):
    """1048576 -> "1 MB", 524288 -> "512 KB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


def server_error(error):
    # The request may have failed halfway through a transaction: start clean, so the
    # page (which loads the current user) and later requests can use the session.
    db.session.rollback()
    if is_api_request():
        return api_error(500, "Something went wrong. The error is logged.")
    return error_page(500, *PAGES[500])


def database_unavailable(error):
    """503 with Retry-After: the database is down or overloaded, not the request wrong."""
    current_app.logger.error("database unavailable: %s", error.orig or error)
    with suppress(sa.exc.SQLAlchemyError):  # the connection may be gone already
        db.session.rollback()
    headers = {"Retry-After": "30"}
    if is_api_request():
        return api_error(503, "The database is unavailable. Try again shortly.", headers)
    return error_page(503, *PAGES[503], headers, with_user=False)


def database_not_ready(problem):
    """The migration guard's answer: `problem` says what to run or check."""
    if is_api_request():
        return api_error(503, problem)
    # The users table may be what is out of date.
    return error_page(503, *NOT_READY, details=problem, with_user=False)
