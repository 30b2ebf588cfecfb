"""What every template can use: the project's name, `Permission` (for
`current_user.can(Permission.WRITE)`), `RELATIVE_DAYS`, and the `|utc_datetime` and
`|avatar_hue` filters."""

import functools
import hashlib

from babel.dates import get_date_format, get_datetime_format, get_time_format, parse_pattern
from flask_babel import get_locale

from .models import Permission

# Filled in when the project was generated; shown in page titles and the nav bar.
PROJECT_NAME = {{ cookiecutter.project_name | quoted }}

# Older than this, a time stays as its exact date and time, not "5 weeks ago"
# (relative_time.js, which reads it from base.html).
RELATIVE_DAYS = 30


def init_app(app):
    app.context_processor(inject_project_name)
    app.jinja_env.globals["Permission"] = Permission
    app.jinja_env.globals["RELATIVE_DAYS"] = RELATIVE_DAYS
    app.add_template_filter(utc_datetime)
    app.add_template_filter(avatar_hue)


def inject_project_name():
    return {"project_name": PROJECT_NAME}


def utc_datetime(moment):
    """A stored time (UTC) to the second, in the reader's language: "Nov 21, 2026,
    12:51:00 AM UTC", "2026年11月21日 00:51:00 UTC". Babel's "medium" date and time, not
    Flask-Babel's |datetimeformat: that one would convert to BABEL_DEFAULT_TIMEZONE,
    which the label does not follow."""
    locale = get_locale()
    return datetime_pattern(locale).apply(moment, locale) + " UTC"


@functools.cache
def datetime_pattern(locale):
    """The locale's "medium" date and time as one pattern, parsed once: what
    babel.dates.format_datetime(moment, "medium") writes, at 60% of its cost (a board
    page writes 20 of these, or more with replies)."""
    pattern = get_datetime_format("medium", locale).replace("'", "")
    time, date = get_time_format("medium", locale), get_date_format("medium", locale)
    return parse_pattern(pattern.replace("{0}", time.pattern).replace("{1}", date.pattern))


def avatar_hue(username):
    """The colour of a user's avatar (_macros.html), as a hue from 0 to 359: the same for
    a name on every page and every run (a digest, not hash(), which changes per process)."""
    digest = hashlib.sha256(username.encode()).digest()
    return int.from_bytes(digest[:2], "big") % 360
