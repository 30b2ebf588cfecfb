"""The message board: everyone's messages, one user's messages, posting and deleting."""

from flask import Blueprint

bp = Blueprint("board", __name__)

# Imported last: the routes module needs `bp` to register its views on it.
from . import routes  # noqa: E402, F401
