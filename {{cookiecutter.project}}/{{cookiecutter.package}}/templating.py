"""What every template can use: the project's name, `Permission` (for
`current_user.can(Permission.WRITE)`), and the `|ago` and `|avatar_hue` filters."""

import hashlib

from flask_babel import format_date, format_timedelta, gettext

from .models import Permission, utcnow

# Filled in when the project was generated; shown in page titles and the nav bar.
PROJECT_NAME = {{ cookiecutter.project_name | quoted }}

# Older than this, a time shows as its date.
RELATIVE_DAYS = 30


def init_app(app):
    app.context_processor(inject_project_name)
    app.jinja_env.globals["Permission"] = Permission
    app.add_template_filter(time_ago, "ago")
    app.add_template_filter(avatar_hue)


def inject_project_name():
    return {"project_name": PROJECT_NAME}


def time_ago(moment, now=None):
    """ "just now", "5 minutes ago", "3 days ago"; the date itself after a month, all in
    the reader's language (Babel). Worked out on the server, so pages need no script
    (see the CSP in security.py)."""
    age = (now or utcnow()) - moment
    if age.total_seconds() < 60:
        return gettext("just now")
    if age.days >= RELATIVE_DAYS:
        return format_date(moment, "medium")
    # threshold=1: a unit is used from one whole of it (59 minutes, not "1 hour").
    return format_timedelta(-age, granularity="minute", threshold=1, add_direction=True)


def avatar_hue(username):
    """The colour of a user's avatar (_macros.html), as a hue from 0 to 359: the same for
    a name on every page and every run (a digest, not hash(), which changes per process)."""
    digest = hashlib.sha256(username.encode()).digest()
    return int.from_bytes(digest[:2], "big") % 360
