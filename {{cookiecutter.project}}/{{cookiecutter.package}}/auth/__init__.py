"""Registration, login and logout, the password and API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

# Imported last: these modules need `bp` to register their views on it.
from . import confirm, reset, routes, tokens  # noqa: E402, F401
