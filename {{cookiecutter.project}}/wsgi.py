"""Entry point for WSGI servers: `gunicorn wsgi:app` runs the production config.

The `flask` command reads .env by itself; a WSGI server does not, so do it here.
Variables already set in the environment win over .env, with one exception: .env's
FLASK_CONFIG (development, written at generation for `flask run`) is not read here, so
a server never runs the development config by accident. To serve another config, set
FLASK_CONFIG in the server's own environment.
"""

import os

from dotenv import load_dotenv

config_name = os.environ.get("FLASK_CONFIG", "production")  # before .env is read
load_dotenv()

from {{ cookiecutter.package }} import create_app  # noqa: E402  (needs the environment)

app = create_app(config_name)
