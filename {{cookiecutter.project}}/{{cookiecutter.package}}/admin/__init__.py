"""Administration: the user list and role changes. Administrators only, fresh login only."""

from flask import Blueprint

admin = Blueprint("admin", __name__)

# Imported last: the routes module needs `admin` to register its views on it.
from . import routes  # noqa: E402, F401
