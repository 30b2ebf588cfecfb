"""Administration: the user list and role changes. Administrators only, fresh login only."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

# Imported last: the routes module needs `bp` to register its views on it.
from . import routes  # noqa: E402, F401
