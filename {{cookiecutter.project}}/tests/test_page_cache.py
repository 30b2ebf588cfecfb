"""The page cache (page_cache.py): visitors get stored pages, and never a stale one;
so do the API's clients, for its list of messages.

Every change a page shows is on the next request, whichever process made it: another
worker with its own memory, or one sharing Redis, on SQLite, PostgreSQL and MySQL.
Logged-in users and pages with a flash message never come from the cache.
"""

import json
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import cache, db
from {{ cookiecutter.package }}.models import ApiToken, Message, User

from .helpers import (
    add_messages,
    add_user,
    bearer,
    recorded_statements,
    redis_url,
    unused_port,
)

API_LIST = "/api/v1/messages"


def visit(app, url="/", **options):
    """A new visitor's page, and the statements it took (1: the version, a cached page)."""
    with recorded_statements(app) as statements:
        response = app.test_client().get(url, **options)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(statements)


def test_a_visitor_gets_the_stored_page_while_nothing_changes(app, make_user):
    add_messages(app, make_user("alice"), bodies=["hello"])
    page, statements = visit(app)
    assert "hello" in page and statements > 1
    assert visit(app) == (page, 1)
    # Each page of the board, user and conversation pages, on its own.
    assert visit(app, "/u/alice")[1] > 1 and visit(app, "/u/alice")[1] == 1
    assert visit(app, "/messages/1")[1] > 1 and visit(app, "/messages/1")[1] == 1
    assert visit(app, API_LIST)[1] > 1 and visit(app, API_LIST)[1] == 1
    assert "hello" in visit(app, "/?limit=1")[0]


def rename(app, user):
    with app.app_context():
        db.session.get(User, user.id).username = "alicia"
        db.session.commit()


def write_about(app, user):
    with app.app_context():
        db.session.get(User, user.id).about = "alicia likes tea"
        db.session.commit()


def edit(app, user):
    with app.app_context():
        db.session.scalars(sa.select(Message)).first().body = "alicia was here"
        db.session.commit()


def post(app, user):
    add_messages(app, user, bodies=["alicia posts"])


def delete_messages(app, user):
    with app.app_context():  # a bulk DELETE, as scripts write it
        db.session.execute(sa.delete(Message))
        db.session.commit()


def delete_user(app, user):
    with app.app_context():
        db.session.delete(db.session.get(User, user.id))
        db.session.commit()


# (a change, a page that shows it, the text it adds there or the text it takes away)
CHANGES = [
    (post, "/", "alicia posts", None),
    (edit, "/messages/1", "alicia was here", "hello"),
    (rename, "/", ">alicia</a>", ">alice</a>"),
    (write_about, "/u/alice", "alicia likes tea", None),
    (delete_messages, "/", None, "hello"),
    # The API's list, stored the same way.
    (post, API_LIST, "alicia posts", None),
    (edit, API_LIST, "alicia was here", "hello"),
    (rename, API_LIST, '"alicia"', '"alice"'),
    (delete_messages, API_LIST, None, "hello"),
]


@pytest.mark.parametrize(
    ("change", "url", "shown", "gone"),
    CHANGES,
    ids=[f"{change.__name__} {url}" for change, url, *_ in CHANGES],
)
def test_every_change_shows_on_the_next_request(app, make_user, change, url, shown, gone):
    alice = make_user("alice")
    add_messages(app, alice, bodies=["hello"])
    visit(app, url)
    assert visit(app, url)[1] == 1  # stored
    change(app, alice)
    page, _ = visit(app, url)
    assert shown is None or shown in page
    assert gone is None or gone not in page


def test_a_deleted_user_and_their_page_are_gone(app, make_user):
    alice = make_user("alice")
    add_messages(app, alice, bodies=["hello"])
    assert "hello" in visit(app)[0]
    delete_user(app, alice)
    assert "hello" not in visit(app)[0]
    assert app.test_client().get("/u/alice").status_code == 404


def test_logged_in_users_get_their_own_page_and_leave_none_behind(app, make_user, login):
    alice = make_user("alice")
    visitor_page, _ = visit(app)
    member = app.test_client()
    login(member, alice)
    own = member.get("/").get_data(as_text=True)
    assert own != visitor_page and "Log out" in own and 'name="body"' in own
    page, statements = visit(app)
    assert page == visitor_page and "Log out" not in page and statements == 1


def test_a_page_with_a_flash_message_is_never_stored_nor_served(app, make_user, login):
    alice = make_user("alice")
    visitor_page, _ = visit(app)
    leaving = app.test_client()
    login(leaving, alice)
    leaving.post("/auth/logout")
    with_flash = leaving.get("/").get_data(as_text=True)  # now a visitor, with a flash
    assert "You are logged out." in with_flash and with_flash != visitor_page
    assert visit(app) == (visitor_page, 1)


def test_api_requests_with_a_token_are_checked_before_the_list(app, make_user):
    alice = make_user("alice")
    add_messages(app, alice, bodies=["hello"])
    with app.app_context():
        _, secret = ApiToken.issue(alice, "laptop")
        db.session.commit()
    listed, _ = visit(app, API_LIST)
    assert visit(app, API_LIST)[1] == 1  # stored, for every request without a token
    client = app.test_client()
    assert client.get(API_LIST, headers=bearer("not-a-token")).status_code == 401
    assert client.get(API_LIST, headers=bearer(secret)).get_data(as_text=True) == listed


def test_the_stored_api_list_answers_if_none_match_with_304(app, make_user):
    add_messages(app, make_user("alice"), bodies=["hello"])
    client = app.test_client()
    etag = client.get(API_LIST).headers["ETag"]
    with recorded_statements(app) as statements:
        response = client.get(API_LIST, headers={"If-None-Match": etag})
    assert response.status_code == 304 and len(statements) == 1  # the version only


def test_each_language_has_its_own_page(app):
    english, _ = visit(app)
    chinese, _ = visit(app, headers={"Accept-Language": "zh-CN"})
    assert 'lang="en"' in english and 'lang="zh-Hans"' in chinese
    assert visit(app, headers={"Accept-Language": "zh-CN"}) == (chinese, 1)


def test_stored_pages_hold_no_csrf_token(app, make_user):
    add_messages(app, make_user("alice"), bodies=["hello"])
    for url in ("/", "/u/alice", "/messages/1"):
        assert "csrf_token" not in visit(app, url)[0]


def test_switched_off_every_request_renders(make_app, make_user):
    app = make_app(PAGE_CACHE_ENABLED=False)
    add_messages(app, add_user(app), bodies=["hello"])
    first, second = visit(app), visit(app)
    assert first == second and first[1] == 2  # the messages, their replies; no version


def test_flask_cache_clear_after_a_change_made_outside_the_app(app, make_user):
    add_messages(app, make_user("alice"), bodies=["hello"])
    visit(app)
    with app.app_context(), db.engine.begin() as connection:  # SQL by hand: no new version
        connection.execute(sa.text("UPDATE messages SET body_html = '<p>changed</p>'"))
    assert "changed" not in visit(app)[0]
    result = app.test_cli_runner().invoke(args=["cache", "clear"])
    assert result.exit_code == 0 and "Cached pages cleared" in result.output
    assert "changed" in visit(app)[0]


def test_with_redis_down_pages_are_still_served(make_app):
    app = make_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=f"redis://127.0.0.1:{unused_port()}/0")
    add_messages(app, add_user(app), bodies=["hello"])
    assert "hello" in visit(app)[0]


# Across processes: another worker (its own memory), or any worker sharing Redis.

ANOTHER_PROCESS = """
import json, sys
from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import cache, db
from {{ cookiecutter.package }}.models import Message

settings, body = json.loads(sys.argv[1]), sys.argv[2]
app = create_app("testing", **settings)
with app.app_context():
    db.session.add(Message(body=body, author_id=1))
    db.session.commit()
# This process's visitors see it (and, with Redis, store that page for every worker).
assert body in app.test_client().get("/").get_data(as_text=True)
"""


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_a_post_in_another_process_shows_on_the_next_request(make_app, database_url, store):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url}
    if store == "redis":
        prefix = f"test-{uuid.uuid4().hex}/"  # this test's keys only
        settings |= {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url()}
        settings |= {"CACHE_KEY_PREFIX": prefix}
    app = make_app(**settings)
    add_messages(app, add_user(app), bodies=["before"])
    assert "before" in visit(app)[0] and visit(app)[1] == 1

    command = [sys.executable, "-c", ANOTHER_PROCESS, json.dumps(settings), "from elsewhere"]
    subprocess.run(command, check=True, timeout=60)

    try:
        page, statements = visit(app)
        assert "from elsewhere" in page
        if store == "redis":  # the other process stored this page: nothing rendered here
            assert statements == 1
    finally:
        with app.app_context():
            cache.clear()  # this app's keys (its prefix), in memory or in Redis
