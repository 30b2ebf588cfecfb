"""The JSON API, mounted at /api/v1: messages and users, by token or session (see auth.py)."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__)
# Out of the automatic CSRF check, which would refuse token requests (they carry no CSRF
# token, and need none); auth.py checks requests that come with the session cookie.
csrf.exempt(bp)

# Imported last: these modules need `bp` to register their views and hooks on it.
from . import auth, routes  # noqa: E402, F401
