"""What every template can use: the project's name and the `|ago` filter."""

from .models import utcnow

# Filled in when the project was generated; shown in page titles and the nav bar.
PROJECT_NAME = {{ cookiecutter.project_name | quoted }}


def init_app(app):
    app.context_processor(inject_project_name)
    app.add_template_filter(time_ago, "ago")


def inject_project_name():
    return {"project_name": PROJECT_NAME}


def time_ago(moment, now=None):
    """ "just now", "5 minutes ago", "3 days ago"; the date itself after a month.
    Worked out on the server, so pages need no script (see the CSP in security.py)."""
    seconds = int(((now or utcnow()) - moment).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if unit == "day" and seconds >= 30 * size:
            return moment.strftime("%Y-%m-%d")
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"
