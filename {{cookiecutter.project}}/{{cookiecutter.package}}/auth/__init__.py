"""Registration, login and logout."""

from flask import Blueprint

auth = Blueprint("auth", __name__)

# Imported last: the routes module needs `auth` to register its views on it.
from . import routes  # noqa: E402, F401
