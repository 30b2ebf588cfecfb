"""The page cache: the board's pages for visitors, and the API's list, stored once and
never stale.

A page is stored under the board's version (models.BoardVersion), a number that goes up
in the same transaction as any change a page shows: a message posted, edited or deleted,
a user renamed, an about text changed, a user deleted. Each request reads that number
(one small statement) and looks for the page stored under it; a page of an older version
is never served again, whichever worker or machine changed the data.

Pages are stored for visitors who are not logged in, and never a page with a flash
message on it (that page belongs to one visitor). The API's list shows nothing of who
asks: every request without a token shares it. Flask-Caching keeps them: in each
worker's memory, or with REDIS_URL in Redis, shared by every worker and machine. Changes
made outside the app (SQL typed by hand) do not move the version: run `flask cache
clear`. PAGE_CACHE_ENABLED=false switches the cache off.
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
# Whom a view's stored answer is for (its `cached_for`).
VISITORS, EVERYONE = "visitors", "everyone"


def init_app(app):
    # create_app() calls this before the extensions register their request hooks (only
    # the migration guard's comes first), so that a stored page is answered before them
    # all, and without the view. None of them has work to do for it: these pages have no
    # rate limit, no form and no body to check, and a page was only stored after it had
    # been through them all.
    app.before_request(answer_from_store)
    app.after_request(store_answer)


def cached_page(view):
    """@cached_page on a view: visitors get its page from the cache."""
    view.cached_for = VISITORS
    return view


def cached_for_everyone(view):
    """@cached_for_everyone on a view whose answer is the same whoever asks (the API's
    list): every request without a token gets it from the cache. A token is checked
    first (api/auth.py), so those requests take the usual way."""
    view.cached_for = EVERYONE
    return view


def answer_from_store():
    """The stored page for this request, if there is one. Otherwise the view answers,
    and store_answer() keeps its page under the key this found."""
    key = cache_key()
    if key is None:
        return None
    stored = try_store(cache.get, key)
    if stored is None:
        g.page_key = key
        return None
    body, mimetype, etag = stored
    response = current_app.response_class(body, mimetype=mimetype)
    if etag:  # the API's list: If-None-Match gets its 304 here too
        response.set_etag(etag)
    return response.make_conditional(request)


def cache_key():
    """This request's key in the cache, or None when it gets an answer of its own."""
    view = current_app.view_functions.get(request.endpoint)
    audience = getattr(view, "cached_for", None)
    if audience is None or request.method != "GET":
        return None
    if not current_app.config["PAGE_CACHE_ENABLED"]:
        return None
    if audience == VISITORS:
        if current_user.is_authenticated or "_flashes" in session:
            return None
        kind = f"page/{get_locale()}"
    elif "Authorization" in request.headers:
        return None
    else:
        kind = "all"
    version = current_version()
    if version is None:  # no version row: nothing could tell a page is old
        return None
    # The whole path and query: a page links back to it (the language switcher).
    return f"{kind}/{version}/{request.full_path}"


def current_version():
    """The board version, read before any of the page's data, so a page is never older
    than its key. On a connection of its own, not through the session: a third of the
    time (37 us against 114 us on SQLite), and a stored page needs nothing else."""
    try:
        with db.engine.connect() as connection:
            return connection.execute(CURRENT_VERSION).scalar()
    except sa.exc.DBAPIError:
        # The database is unreachable: the usual way, which says so.
        return None


def store_answer(response):
    """Keep the view's page, if answer_from_store() found none: only a page (200), and
    only when the view left the session as it was (a flash would be this visitor's)."""
    key = g.pop("page_key", None)
    if key is not None and response.status_code == 200 and not session.modified:
        etag, _weak = response.get_etag()
        try_store(cache.set, key, (response.get_data(as_text=True), response.mimetype, etag))
    return response


def try_store(operation, *args):
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
