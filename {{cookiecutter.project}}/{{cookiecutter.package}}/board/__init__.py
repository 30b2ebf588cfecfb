"""The message board: everyone's messages, one user's messages, posting and deleting."""

from flask import Blueprint

board = Blueprint("board", __name__)

# Filled in when the project was generated; shown in page titles and the nav bar.
PROJECT_NAME = {{ cookiecutter.project_name | tojson }}


@board.app_context_processor
def inject_project_name():
    return {"project_name": PROJECT_NAME}


# Imported last: the routes module needs `board` to register its views on it.
from . import routes  # noqa: E402, F401
