"""`flask cache clear`: after changing the database outside the app (SQL by hand), so
that no visitor is served a page of the data as it was."""

import click
from flask.cli import AppGroup

from ..extensions import db
from ..page_cache import NEXT_VERSION

cache_group = AppGroup("cache", help="The page cache of visitors' pages (page_cache.py).")


@cache_group.command("clear")
def clear_command():
    """Make every cached page old, on every worker and machine at once."""
    # Moving the board version is what the app does on each change: pages cached in any
    # worker's memory or in Redis are keyed on it, so none is served again.
    db.session.execute(NEXT_VERSION)
    db.session.commit()
    click.echo("Cached pages cleared: every page is rendered afresh.")
