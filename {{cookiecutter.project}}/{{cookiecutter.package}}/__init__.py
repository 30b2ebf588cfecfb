"""The application factory: `create_app()` builds the Flask app, one named step at a time."""

import os

import sqlalchemy as sa
from flask import Flask

from . import (
    admin,
    api,
    audit,
    auth,
    board,
    commands,
    errors,
    guard,
    health,
    mail,
    security,
    templating,
)
from .config import CONFIGS, EMAIL_CONFIRMATIONS, PUBLIC_SECRET_KEYS, engine_options
from .extensions import bcrypt, bootstrap, csrf, db, limiter, login_manager, migrate


def create_app(config_name=None, **settings):
    """Build the app. `config_name` defaults to $FLASK_CONFIG, then "development";
    keyword arguments override single settings (the tests use this)."""
    app = Flask(__name__)
    configure(app, config_name or os.environ.get("FLASK_CONFIG", "development"), settings)
    register_extensions(app)
    register_blueprints(app)
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


def check_production_settings(app):
    """Refuse to start production with a setting that only suits development: one line each."""
    if app.config["MAIL_ENABLED"] and not app.config["MAIL_SERVER"]:
        raise RuntimeError(
            "MAIL_SERVER is not set: production cannot send password reset mail. Set MAIL_SERVER "
            "(and MAIL_PORT, MAIL_USERNAME, ...) in the environment, or MAIL_ENABLED=false."
        )


def register_extensions(app):
    db.init_app(app)
    # An absolute path: `flask db ...` works from any folder, not only the project's.
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    bcrypt.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
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


def register_blueprints(app):
    app.register_blueprint(health.bp)
    app.register_blueprint(board.bp)
    app.register_blueprint(auth.bp, url_prefix="/auth")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    app.register_blueprint(api.bp, url_prefix="/api/v1")


def register_error_handlers(app):
    errors.init_app(app)


def register_request_hooks(app):
    security.init_app(app)  # response headers, and the proxy setup
    guard.init_app(app)  # no page while the database is behind the migrations
    audit.init_app(app)  # every 403 logged


def register_template_helpers(app):
    templating.init_app(app)


def register_commands(app):
    commands.init_app(app)
