"""Error responses: pages that look like the rest of the site (and never show a
traceback), and JSON for the API. This is the one place that decides which."""

from contextlib import suppress

import sqlalchemy as sa
from flask import current_app, render_template, request
from werkzeug.exceptions import HTTPException

from .extensions import db

# Statuses with a page in templates/errors/; the others get Werkzeug's plain page.
ERROR_PAGES = {400, 403, 404}

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


def http_error(error):
    if is_api_request():
        # Keep headers such as Allow (405) and WWW-Authenticate (401); the body is JSON.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return api_error(error.code, error.description, headers)
    if error.code in ERROR_PAGES:
        return render_template(f"errors/{error.code}.html", error=error), error.code
    return error


def server_error(error):
    # The request may have failed halfway through a transaction: start clean, so the
    # page (which loads the current user) and later requests can use the session.
    db.session.rollback()
    if is_api_request():
        return api_error(500, "Something went wrong. The error is logged.")
    return render_template("errors/500.html"), 500


def database_unavailable(error):
    """503 with Retry-After: the database is down or overloaded, not the request wrong."""
    current_app.logger.error("database unavailable: %s", error.orig or error)
    with suppress(sa.exc.SQLAlchemyError):  # the connection may be gone already
        db.session.rollback()
    headers = {"Retry-After": "30"}
    if is_api_request():
        return api_error(503, "The database is unavailable. Try again shortly.", headers)
    return render_template("errors/database_unavailable.html"), 503, headers
