"""The page cache: the board's pages for visitors, and the API's lists, stored once
and never stale.

A page is stored under the board's version (models.BoardVersion), a number that goes up
in the same transaction as any change a page shows: a message posted, edited or deleted,
a user renamed, an about text changed, a user deleted. Each request reads that number
(one small statement) and looks for the page stored under it; a page of an older version
is never served again, whichever worker or machine changed the data.

Pages only for visitors who are not logged in, and never a page with a flash message on
it (that page belongs to one visitor). The API's message list shows nothing of who asks,
so every client shares it, with a token or without. Flask-Caching keeps them: in each
worker's memory, or with REDIS_URL in Redis, shared by every worker and machine. Changes
made outside the app (SQL typed by hand) do not move the version: run `flask cache
clear`. PAGE_CACHE_ENABLED=false switches the cache off.
"""

import functools

import sqlalchemy as sa
from flask import current_app, request, session
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

    @functools.wraps(view)
    def page(**view_args):
        if current_user.is_authenticated or "_flashes" in session:
            return view(**view_args)
        return stored(f"page/{get_locale()}", lambda: view(**view_args))

    return page


def stored(kind, render):
    """What render() returns for this request's path, from the cache when it was stored
    under the current board version; else rendered, and stored if it is a str. `kind`
    keeps apart what differs for the same path (a page in each language)."""
    if not current_app.config["PAGE_CACHE_ENABLED"]:
        return render()
    # On a connection of its own, not through the session: a third of the time (37 us
    # against 114 us on SQLite), and a stored answer needs nothing else from the database.
    # Read before any of the page's data, so a page is never older than its version.
    with db.engine.connect() as connection:
        version = connection.execute(CURRENT_VERSION).scalar()
    if version is None:  # no version row: nothing could tell a page is old
        return render()
    # The whole path and query: a page links back to it (the language switcher).
    key = f"{kind}/{version}/{request.full_path}"
    answer = from_store(cache.get, key)
    if answer is None:
        answer = render()
        if isinstance(answer, str):
            from_store(cache.set, key, answer)
    return answer


def from_store(operation, *args):
    """A cache get or set; None, and a logged error, when the store is unreachable (Redis
    down): the page is rendered as if it were not stored."""
    try:
        return operation(*args)
    except Exception:  # whatever the store raises: it never costs the visitor their page
        if current_app.debug:
            raise
        current_app.logger.exception("page cache unreachable: rendering without it")
        return None


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
