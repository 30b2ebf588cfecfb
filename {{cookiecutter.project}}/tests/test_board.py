import html
import re

import pytest
import sqlalchemy as sa
from flask import abort

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import Message, Role, User
from {{ cookiecutter.package }}.templating import RELATIVE_DAYS

from .helpers import add_messages, message_ids, recorded_statements


def bodies(response):
    """The message bodies on a page, top to bottom, as text (rendered: one paragraph, with
    <br> for each line break)."""
    found = re.findall(r'class="message-body">(.*?)</div>', response.get_data(as_text=True), re.S)
    return [html.unescape(re.sub(r"</?p>|<br>", "", body)).strip() for body in found]


def link(response, label):
    """The href of the "Older" or "Newer" link, or None."""
    match = re.search(rf'href="([^"]*)">[^<]*{label}', response.get_data(as_text=True))
    return html.unescape(match[1]) if match else None


def message_count(app):
    with app.app_context():
        return len(db.session.scalars(sa.select(Message.id)).all())


def test_empty_board(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No messages yet." in response.get_data(as_text=True)
    assert link(response, "Older") is None and link(response, "Newer") is None


def test_anonymous_visitors_see_no_post_form(client, make_user, app):
    add_messages(app, make_user(), 1)
    page = client.get("/").get_data(as_text=True)
    assert 'name="body"' not in page
    assert "to post a message" in page
    assert "Delete" not in page


def test_posted_messages_appear_newest_first(client, make_user, login):
    login(client, make_user())
    response = client.post("/messages", data={"body": "  first  "})
    assert response.status_code == 302 and response.location == "/"
    client.post("/messages", data={"body": "second\nline two"})
    response = client.get("/")
    assert bodies(response) == ["second\nline two", "first"]
    page = response.get_data(as_text=True)
    assert "Your message is posted." in page
    assert 'href="/u/alice">alice</a>' in page


def test_message_bodies_are_escaped(client, make_user, login):
    login(client, make_user())
    client.post("/messages", data={"body": "<script>alert(1)</script>"})
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "This field is required."),
        ("   \n  ", "This field is required."),
        ("x" * (Message.MAX_LENGTH + 1), f"at most {Message.MAX_LENGTH} characters. Shorten it"),
    ],
)
def test_invalid_messages_are_rejected(app, client, make_user, login, body, error):
    login(client, make_user())
    response = client.post("/messages", data={"body": body})
    assert response.status_code == 200
    assert error in response.get_data(as_text=True)
    assert message_count(app) == 0


def test_a_rejected_message_shows_the_board_with_working_links(app, client, make_user, login):
    app.config["MESSAGES_PER_PAGE"] = 2
    alice = make_user()
    add_messages(app, alice, 3)
    login(client, alice)
    response = client.post("/messages", data={"body": ""})
    assert bodies(response) == ["3", "2"]
    # The links lead to the board, not to POST-only /messages.
    assert link(response, "Older").startswith("/?before=")
    assert 'name="next" value="/"' in response.get_data(as_text=True)


def test_a_message_of_max_length_is_accepted(app, client, make_user, login):
    login(client, make_user())
    assert client.post("/messages", data={"body": "x" * Message.MAX_LENGTH}).status_code == 302
    assert message_count(app) == 1


def test_a_message_too_long_comes_back_whole(app, client, make_user, login):
    # Nothing cuts it short, neither the server nor the page (no maxlength attribute):
    # the writer sees why it was refused and shortens it.
    login(client, make_user())
    body = "y" * (Message.MAX_LENGTH + 1)
    page = client.post("/messages", data={"body": body}).get_data(as_text=True)
    assert "Your message is posted." not in page
    textarea = re.search(r"<textarea[^>]*>\s*(.*?)</textarea>", page, re.S)
    assert textarea[1] == body
    assert "maxlength" not in textarea[0]
    assert f'data-max-length="{Message.MAX_LENGTH}"' in textarea[0]
    assert message_count(app) == 0


def test_line_breaks_count_as_one_character(app, client, make_user, login):
    # Browsers send CRLF; the page's live counter counts a line break as one.
    login(client, make_user())
    body = ("x" * 9 + "\r\n") * (Message.MAX_LENGTH // 10)
    assert client.post("/messages", data={"body": body}).status_code == 302
    with app.app_context():
        stored = db.session.scalar(sa.select(Message.body))
    assert stored == body.replace("\r\n", "\n").strip()


def test_anonymous_users_cannot_post(app, client):
    response = client.post("/messages", data={"body": "hello"})
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")
    assert message_count(app) == 0


def test_users_without_write_permission_cannot_post(app, client, make_user, login):
    with app.app_context():
        db.session.add(Role(name="Muted", permissions=0))
        db.session.commit()
    login(client, make_user(role="Muted"))
    assert 'name="body"' not in client.get("/").get_data(as_text=True)
    assert client.post("/messages", data={"body": "hello"}).status_code == 403
    assert message_count(app) == 0


def test_pagination_walks_older_then_newer_pages(app, client, make_user):
    add_messages(app, make_user(), 25)
    expected = [str(number) for number in range(25, 0, -1)]

    response = client.get("/?limit=10")
    pages = [bodies(response)]
    assert link(response, "Newer") is None
    while older := link(response, "Older"):
        assert "limit=10" in older
        response = client.get(older)
        pages.append(bodies(response))
    assert pages == [expected[:10], expected[10:20], expected[20:]]
    assert link(response, "Newer")

    newer_pages = []
    while newer := link(response, "Newer"):
        response = client.get(newer)
        newer_pages.append(bodies(response))
    assert newer_pages == [expected[10:20], expected[:10]]
    assert link(response, "Older")


def test_page_size_defaults_to_config(app, client, make_user):
    app.config["MESSAGES_PER_PAGE"] = 4
    add_messages(app, make_user(), 5)
    assert bodies(client.get("/")) == ["5", "4", "3", "2"]


@pytest.mark.parametrize(("limit", "shown"), [("0", 1), ("-3", 1), ("2", 2), ("1000", 5)])
def test_limit_is_clamped(app, client, make_user, limit, shown):
    app.config["MAX_MESSAGES_PER_PAGE"] = 5
    add_messages(app, make_user(), 8)
    response = client.get("/", query_string={"limit": limit})
    assert response.status_code == 200
    assert len(bodies(response)) == shown


@pytest.mark.parametrize(
    "query",
    [
        "before=garbage",
        "before=",
        "after=42",
        "before=2026-11-21T00:51:00_abc",
        "before=2026-13-01T00:00:00_1",
        "before=2026-11-21T00:51:00%2B05:00_1",
        "before=2026-11-21T00:51:00-05:00_1",
        "before=2026-11-21T00:51:00_99999999999999999999",
        "limit=ten",
        "limit=1.5",
        "limit=",
    ],
)
def test_malformed_page_arguments_are_bad_requests(client, query):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert "Bad request" in response.get_data(as_text=True)


def test_a_cursor_past_the_end_gives_an_empty_page(app, client, make_user):
    add_messages(app, make_user(), 3)
    response = client.get("/?before=2000-01-01T00:00:00_1")
    assert response.status_code == 200
    assert bodies(response) == []
    assert "No messages on this page." in response.get_data(as_text=True)
    assert bodies(client.get(link(response, "Newer"))) == ["3", "2", "1"]


def test_a_cursor_may_have_a_space_for_the_t_as_sqlite_stores_times(app, client, make_user):
    add_messages(app, make_user(), 3)
    response = client.get("/?before=2027-01-01%2000:00:00_1")
    assert response.status_code == 200
    assert bodies(response) == ["3", "2", "1"]


def test_user_page_lists_only_that_users_messages(app, client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    add_messages(app, alice, 3)
    add_messages(app, bob, 25)
    response = client.get("/u/alice")
    assert response.status_code == 200
    assert bodies(response) == ["3", "2", "1"]
    assert link(response, "Older") is None

    response = client.get("/u/bob?limit=20")
    assert len(bodies(response)) == 20
    assert link(response, "Older").startswith("/u/bob?")
    assert bodies(client.get(link(response, "Older"))) == ["5", "4", "3", "2", "1"]


def test_user_page_empty_state(client, make_user):
    make_user("alice")
    assert "alice has not posted anything yet." in client.get("/u/alice").get_data(as_text=True)


def test_unknown_user_is_a_404_page(client):
    response = client.get("/u/nobody")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def post_by(app, author):
    with app.app_context():
        message = Message(body="hello", author_id=author.id)
        db.session.add(message)
        db.session.commit()
        return message.id


def test_authors_can_delete_their_messages(app, client, make_user, login):
    alice = make_user("alice")
    message_id = post_by(app, alice)
    login(client, alice)
    assert "Delete" in client.get("/").get_data(as_text=True)
    response = client.post(f"/messages/{message_id}/delete", data={"next": "/u/alice"})
    assert response.status_code == 302 and response.location == "/u/alice"
    assert message_count(app) == 0


def test_other_users_cannot_delete(app, client, make_user, login):
    message_id = post_by(app, make_user("alice"))
    login(client, make_user("bob"))
    assert "Delete" not in client.get("/").get_data(as_text=True)
    response = client.post(f"/messages/{message_id}/delete")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)
    assert message_count(app) == 1


@pytest.mark.parametrize("role", ["Moderator", "Administrator"])
def test_moderators_can_delete_any_message(app, client, make_user, login, role):
    message_id = post_by(app, make_user("alice"))
    login(client, make_user("mod", role=role))
    assert "Delete" in client.get("/").get_data(as_text=True)
    response = client.post(f"/messages/{message_id}/delete", data={"next": "//evil.com"})
    assert response.status_code == 302 and response.location == "/"
    assert message_count(app) == 0


def test_deleting_needs_login_and_post(app, client, make_user):
    message_id = post_by(app, make_user("alice"))
    response = client.post(f"/messages/{message_id}/delete")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")
    assert client.get(f"/messages/{message_id}/delete").status_code == 405
    assert message_count(app) == 1


def test_deleting_an_unknown_message_is_a_404(client, make_user, login):
    login(client, make_user())
    assert client.post("/messages/999/delete").status_code == 404


def test_500_page_hides_the_error_and_rolls_back(app, client, make_user, login):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        # Leave the session in a failed transaction, then fail the request.
        db.session.add(User(username="alice", email="alice@example.com", password_hash="x"))
        db.session.flush()

    login(client, make_user("alice"))
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "Traceback" not in page and "IntegrityError" not in page
    assert "Logged in as" in page  # the page could load the user: the session was rolled back


def test_400_page_shows_the_reason(app, client):
    @app.get("/bad")
    def bad():
        abort(400, "That was not right.")

    response = client.get("/bad")
    assert response.status_code == 400
    assert "That was not right." in response.get_data(as_text=True)


# Statements per page: the page's messages and the replies under them (one statement
# for all: pagination.with_replies), plus the user on a user's page, the message on a
# conversation's. Plus one, the board version, for a visitor (page_cache.py), who gets
# that one alone while nothing changes; for a logged-in user instead, their own row.
STATEMENT_BUDGET = {"/": 2, "/?limit=100": 2, "/u/alice": 3, "/messages/1": 2}


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged in"])
@pytest.mark.parametrize("url", STATEMENT_BUDGET)
def test_page_queries_do_not_grow_with_the_messages_or_replies(
    app, client, make_user, login, url, logged_in
):
    alice = make_user("alice")
    if logged_in:
        login(client, alice)

    def statements_for_a_page():
        with recorded_statements(app) as statements:
            assert client.get(url).status_code == 200
        return statements

    add_messages(app, alice, 5)
    with_5 = statements_for_a_page()
    add_messages(app, alice, 45)
    with_50 = statements_for_a_page()
    for message_id in message_ids(app):  # every message gets 10 replies (500 in all)
        add_messages(app, alice, 10, parent_id=message_id)
    with_replies = statements_for_a_page()
    assert len(with_5) == len(with_50) == len(with_replies) <= STATEMENT_BUDGET[url] + 1
    if not logged_in:  # nothing changed since: the same page, from the cache
        assert len(statements_for_a_page()) == 1
    # Nothing counts the board; the only count is of each shown message's replies.
    for statement in with_5 + with_50 + with_replies:
        assert "count(" not in statement.lower() or "partition by" in statement.lower()


def test_pages_load_css_and_js_from_the_app_itself(client):
    """Bootstrap is served by the app (BOOTSTRAP_SERVE_LOCAL): the board works offline."""
    page = client.get("/").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', page)
    assert any("bootstrap" in asset for asset in assets)
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by the app"
        assert client.get(asset).status_code == 200


def test_the_board_writes_exact_times_that_its_script_makes_relative(app, client, make_user):
    """The server writes when a message was posted, to the second, never "5 minutes ago":
    a page served from a cache stays true. relative_time.js rewrites it in the browser
    (tests/e2e), with the words and the limit it takes from the page."""
    add_messages(app, make_user(), 1)
    page = client.get("/").get_data(as_text=True)
    assert (
        '<time class="text-body-secondary small" datetime="2026-11-21T00:51:00Z">'
        "Nov 21, 2026, 12:51:00\u202fAM UTC</time>"
    ) in page
    script = re.search(r'<script src="/static/relative_time.js"([^>]*)>', page)
    assert script[1] == f' data-just-now="just now" data-relative-days="{RELATIVE_DAYS}"'
