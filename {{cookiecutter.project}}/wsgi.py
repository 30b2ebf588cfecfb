"""Entry point for WSGI servers: `gunicorn wsgi:app` runs the production config.

The `flask` command reads .env by itself; a WSGI server does not, so do it here.
Variables already set in the environment win over .env, with two exceptions: .env's
FLASK_CONFIG and FLASK_DEBUG (development and on, written at generation for `flask run`)
are not read here, so a server never runs the development config or the debugger by
accident. To serve another config, set FLASK_CONFIG in the server's own environment.
"""

import os

from dotenv import dotenv_values

# Only the server's own environment chooses these.
NOT_FROM_DOTENV = {"FLASK_CONFIG", "FLASK_DEBUG"}

config_name = os.environ.get("FLASK_CONFIG", "production")
for name, value in dotenv_values().items():
    if name not in NOT_FROM_DOTENV and value is not None:
        os.environ.setdefault(name, value)

from {{ cookiecutter.package }} import create_app  # noqa: E402  (needs the environment)

app = create_app(config_name)
