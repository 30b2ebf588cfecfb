"""The auth log: who did what from where. Never a password.

Every blueprint logs its events here, and every 403 the app sends is logged too.
"""

import logging

from flask import current_app, request
from flask_login import current_user


def init_app(app):
    app.after_request(log_forbidden)


def auth_logger():
    """The app's logger's "auth" child ("<package>.auth"), at INFO unless configured."""
    logger = current_app.logger.getChild("auth")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    return logger


def log_event(event, user=None, email=None, level=logging.INFO, **details):
    """One line per event: `event user=... ip=... key=value ...`.

    `user` is a User (logged as its id and username); `email` is what someone typed
    when there is no user. Values are passed as arguments, never formatted in, so a
    crafted email cannot forge extra fields.
    """
    if user is not None:
        parts, args = ["%s user=%s:%s"], [event, user.id, user.username]
    elif email is None:
        parts, args = ["%s user=anonymous"], [event]
    else:
        parts, args = ["%s email=%r"], [event, email]
    parts.append("ip=%s")
    args.append(request.remote_addr)
    for key, value in details.items():
        parts.append(f"{key}=%r")
        args.append(value)
    auth_logger().log(level, " ".join(parts), *args)


def log_forbidden(response):
    """Log every 403 the app sends, whichever view refused."""
    if response.status_code == 403:
        user = current_user if current_user.is_authenticated else None
        log_event("forbidden", user, level=logging.WARNING, path=request.path)
    return response
