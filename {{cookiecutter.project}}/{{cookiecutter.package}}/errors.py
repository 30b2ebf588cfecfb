"""Error pages that look like the rest of the site (and never show a traceback)."""

from flask import render_template

from .extensions import db


def register_error_handlers(app):
    for code in (400, 403, 404):
        app.register_error_handler(code, client_error)
    app.register_error_handler(500, server_error)


def client_error(error):
    return render_template(f"errors/{error.code}.html", error=error), error.code


def server_error(error):
    # The request may have failed halfway through a transaction: start clean, so the
    # page (which loads the current user) and later requests can use the session.
    db.session.rollback()
    return render_template("errors/500.html"), 500
