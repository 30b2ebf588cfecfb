"""The page cache: the board's pages for visitors, stored once, and never stale.

A page is stored under the board's version (models.BoardVersion), a number that goes up
in the same transaction as any change a page shows: a message posted, edited or deleted,
a user renamed, an about text changed, a user deleted. Each request reads that number
(one small statement) and looks for the page stored under it; a page of an older version
is never served again, whichever worker or machine changed the data.

Only for visitors who are not logged in, and never for a page with a flash message on it
(that page belongs to one visitor). The pages are kept by Flask-Caching: in each worker's
memory, or with REDIS_URL in Redis, shared by every worker and machine. Changes made
outside the app (SQL typed by hand) do not move the version: run `flask cache clear`.
PAGE_CACHE_ENABLED=false switches the cache off.
"""

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_sqlalchemy.session import Session

from .extensions import cache, db
from .models import BoardVersion, Message, User

# Built once: a prebuilt statement skips building a statement on every request.
CURRENT_VERSION = sa.select(BoardVersion.version).where(BoardVersion.id == BoardVersion.ROW_ID)
NEXT_VERSION = (
    sa.update(BoardVersion)
    .where(BoardVersion.id == BoardVersion.ROW_ID)
    .values(version=BoardVersion.version + 1)
)
# What of a user the pages show (their name on every message, their about text).
SHOWN_USER_FIELDS = ("username", "about")


def cached_page(view):
    """@cached_page on a view: its page comes from the cache for visitors. Only pages
    are kept (a view's rendered template, a str): no redirect, no error page."""
    cached = cache.cached(
        key_prefix=page_key, unless=not_from_cache, response_filter=lambda rv: isinstance(rv, str)
    )
    return cached(view)


def not_from_cache():
    """True when this request gets a page of its own. Otherwise read the version."""
    if (
        not current_app.config["PAGE_CACHE_ENABLED"]
        or current_user.is_authenticated
        or "_flashes" in session
    ):
        return True
    # On a connection of its own, not through the session: a third of the time (37 us
    # against 114 us on SQLite), and a cached page needs nothing else from the database.
    # Read before any of the page's data, so a page is never older than its version.
    with db.engine.connect() as connection:
        g.board_version = connection.execute(CURRENT_VERSION).scalar()
    return g.board_version is None  # no version row: nothing could tell a page is old


def page_key():
    # The whole path and query: the page links back to it (the language switcher).
    return f"page/{g.board_version}/{get_locale()}/{request.full_path}"


def shows_on_pages(session, instance):
    if isinstance(instance, Message):
        return True
    if isinstance(instance, User):
        if instance in session.deleted:
            return True
        state = sa.inspect(instance)
        return any(state.attrs[name].history.has_changes() for name in SHOWN_USER_FIELDS)
    return False


@sa.event.listens_for(Session, "before_flush")
def new_version_for_changed_rows(session, _flush_context, _instances):
    """A flush that changes what pages show moves the version, in its transaction."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(shows_on_pages(session, instance) for instance in changed):
        # On the connection, not the session: a session statement would flush again.
        session.connection().execute(NEXT_VERSION)


@sa.event.listens_for(Session, "do_orm_execute")
def new_version_for_bulk_statements(state):
    """The same for INSERT, UPDATE and DELETE statements run through the session
    (`flask seed --demo`, bulk deletes), which bypass the flush."""
    writes = state.is_insert or state.is_update or state.is_delete
    if writes and state.bind_mapper in (Message.__mapper__, User.__mapper__):
        state.session.connection().execute(NEXT_VERSION)
