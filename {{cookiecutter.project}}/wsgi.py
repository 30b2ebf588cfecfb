"""Entry point for WSGI servers: `gunicorn wsgi:app`.

The `flask` command reads .env by itself; a WSGI server does not, so do it here.
Variables already set in the environment win over .env.
"""

from dotenv import load_dotenv

load_dotenv()

from {{ cookiecutter.package }} import create_app  # noqa: E402  (needs the environment)

app = create_app()
