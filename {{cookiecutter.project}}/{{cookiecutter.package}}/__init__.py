"""The application factory: `create_app()` builds the Flask app, one named step at a time."""

import logging
import os
from contextlib import suppress

import sqlalchemy as sa
from flask import Flask, redirect, url_for
from flask.helpers import get_debug_flag
from flask.logging import default_handler

from . import (
    admin,
    api,
    audit,
    auth,
    bad_input,
    board,
    commands,
    errors,
    guard,
    health,
    i18n,
    mail,
    page_cache,
    security,
    templating,
)
from .config import CONFIGS, EMAIL_CONFIRMATIONS, PUBLIC_SECRET_KEYS, engine_options
from .extensions import bcrypt, bootstrap, cache, csrf, db, limiter, login_manager, migrate
from .i18n import LANGUAGES


def create_app(config_name=None, **settings):
    """Build the app. `config_name` defaults to $FLASK_CONFIG, then "development";
    keyword arguments override single settings (the tests use this)."""
    app = Flask(__name__)
    configure(app, config_name or os.environ.get("FLASK_CONFIG", "development"), settings)
    register_first_hooks(app)
    register_extensions(app)
    register_input_checks(app)
    register_blueprints(app)
    register_favicon(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app, config_name, settings):
    if config_name not in CONFIGS:
        raise RuntimeError(f"FLASK_CONFIG={config_name!r} is not one of: {', '.join(CONFIGS)}")
    app.config.from_object(CONFIGS[config_name])
    app.config.update(settings)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config))
    check_secret_key(app, config_name)
    check_email_confirmation(app)
    check_language(app)
    if config_name == "production":
        check_production_settings(app)


def check_secret_key(app, config_name):
    key = app.config["SECRET_KEY"]
    if key and not (config_name == "production" and key in PUBLIC_SECRET_KEYS):
        return
    problem = "is not set" if not key else "is a published example value"
    raise RuntimeError(
        f"SECRET_KEY {problem}. Put a secret one in .env: "
        'python -c "import secrets; print(secrets.token_hex(32))"'
    )


def check_email_confirmation(app):
    setting = app.config["EMAIL_CONFIRMATION"]
    if setting not in EMAIL_CONFIRMATIONS:
        raise RuntimeError(
            f"EMAIL_CONFIRMATION={setting!r} is not one of: {', '.join(EMAIL_CONFIRMATIONS)}"
        )
    if not app.config["MAIL_ENABLED"]:
        app.config["EMAIL_CONFIRMATION"] = "off"  # no mail, no link to follow


def check_language(app):
    setting = app.config["BABEL_DEFAULT_LOCALE"]
    if setting not in LANGUAGES:
        raise RuntimeError(
            f"BABEL_DEFAULT_LOCALE={setting!r} is not one of: {', '.join(LANGUAGES)}"
        )


def check_production_settings(app):
    """Production refuses to start on a setting that only suits one process on a laptop:
    each check raises RuntimeError with one line saying what to set."""
    check_debug(app)
    check_rate_limit_storage(app)
    check_mail_server(app)


def check_debug(app):
    # `flask run` turns the debugger on from FLASK_DEBUG, after the app is built: refuse
    # the variable itself, not only the DEBUG setting.
    if app.debug or get_debug_flag():
        raise RuntimeError(
            "FLASK_DEBUG is on: production never runs Flask's debugger, which runs any code "
            "typed into its error page. Remove FLASK_DEBUG from the environment and .env."
        )


def check_rate_limit_storage(app):
    config = app.config
    if not config["RATELIMIT_ENABLED"] or config["RATELIMIT_ALLOW_PER_PROCESS"]:
        return
    if config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        # Each gunicorn worker would count on its own: a limit of 5 lets 5 x workers through.
        raise RuntimeError(
            "Rate limits need a store all workers share: set REDIS_URL=redis://host:6379/0 "
            "(or RATELIMIT_ALLOW_PER_PROCESS=1 if you run a single process)."
        )


def check_mail_server(app):
    if app.config["MAIL_ENABLED"] and not app.config["MAIL_SERVER"]:
        raise RuntimeError(
            "MAIL_SERVER is not set: production cannot send password reset mail. Set MAIL_SERVER "
            "(and MAIL_PORT, MAIL_USERNAME, ...) in the environment, or MAIL_ENABLED=false."
        )


def register_first_hooks(app):
    # Flask runs before_request hooks in the order they were added: these two come
    # before every extension's.
    guard.init_app(app)  # no page while the database is behind the migrations
    page_cache.init_app(app)  # a stored page, answered before any other hook runs


def register_extensions(app):
    db.init_app(app)
    # An absolute path: `flask db ...` works from any folder, not only the project's.
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    bcrypt.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    # Flask-Limiter says when Redis is unreachable (and when it is back) on its own logger,
    # which prints nothing unless given a handler.
    limiter_log = logging.getLogger("flask-limiter")
    if default_handler not in limiter_log.handlers:
        limiter_log.addHandler(default_handler)
    mail.init_app(app)
    i18n.init_app(app)  # Flask-Babel, and the language switcher's route
    cache.init_app(app)  # the page cache's store (page_cache.py)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            sa.event.listen(db.engine, "connect", _configure_sqlite)


def _configure_sqlite(dbapi_connection, _connection_record):
    # SQLite ignores foreign keys (and ON DELETE CASCADE) unless asked, per connection.
    dbapi_connection.execute("PRAGMA foreign_keys=ON")
    # Several web workers at once: readers never block the writer (WAL), a writer waits
    # up to 5 s for another instead of failing with "database is locked".
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA busy_timeout=5000")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, far fewer fsyncs
    keep_private(dbapi_connection)


def keep_private(dbapi_connection):
    """Owner-only permissions (0600) on the database file and its WAL files: they hold
    every email and password hash, and SQLite creates them with the umask's (often 0644)."""
    for _, name, path in dbapi_connection.execute("PRAGMA database_list").fetchall():
        if name != "main" or not path:  # "" is an in-memory database
            continue
        for file in (path, f"{path}-wal", f"{path}-shm"):
            with suppress(FileNotFoundError):
                if os.stat(file).st_mode & 0o077:
                    os.chmod(file, 0o600)


def register_input_checks(app):
    bad_input.init_app(app)  # ids, NUL bytes, surrogates, deep JSON: 400/404, never 500


def register_blueprints(app):
    app.register_blueprint(health.bp)
    app.register_blueprint(board.bp)
    app.register_blueprint(auth.bp, url_prefix="/auth")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    app.register_blueprint(api.bp, url_prefix="/api/v1")


def register_favicon(app):
    # Browsers ask for /favicon.ico whatever a page links to: send them to the static icon.
    app.add_url_rule("/favicon.ico", "favicon", favicon)


def favicon():
    return redirect(url_for("static", filename="favicon.svg"), 301)


def register_error_handlers(app):
    errors.init_app(app)


def register_request_hooks(app):
    security.init_app(app)  # response headers, and the proxy setup
    audit.init_app(app)  # every 403 logged


def register_template_helpers(app):
    templating.init_app(app)


def register_commands(app):
    commands.init_app(app)
