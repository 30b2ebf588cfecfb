"""What every template can use: the project's name, `Permission` (for
`current_user.can(Permission.WRITE)`), `RELATIVE_DAYS` and the `|avatar_hue` filter."""

import hashlib

from .models import Permission

# Filled in when the project was generated; shown in page titles and the nav bar.
PROJECT_NAME = {{ cookiecutter.project_name | quoted }}

# Older than this, a time shows as its date (relative_time.js reads it from base.html).
RELATIVE_DAYS = 30


def init_app(app):
    app.context_processor(inject_project_name)
    app.jinja_env.globals["Permission"] = Permission
    app.jinja_env.globals["RELATIVE_DAYS"] = RELATIVE_DAYS
    app.add_template_filter(avatar_hue)


def inject_project_name():
    return {"project_name": PROJECT_NAME}


def avatar_hue(username):
    """The colour of a user's avatar (_macros.html), as a hue from 0 to 359: the same for
    a name on every page and every run (a digest, not hash(), which changes per process)."""
    digest = hashlib.sha256(username.encode()).digest()
    return int.from_bytes(digest[:2], "big") % 360
