"""Replies, one level deep: under their message on the board (a count and the newest
few), all of them on the message's own page, paged as the board is, and deleted with
their message, by the database itself, on SQLite, PostgreSQL and MySQL."""

import re

import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import ApiToken, Message, Role
from {{ cookiecutter.package }}.pagination import Page, with_replies

from .helpers import add_messages, add_user, bearer, message_ids


def bodies_in(page):
    """The message bodies of a page, in the order shown."""
    return re.findall(r'<div class="message-body"><p>(.*?)</p>', page)


def test_the_board_shows_replies_under_their_message_with_a_count(app, client, make_user):
    alice = make_user("alice")
    add_messages(app, alice, bodies=["question", "news"])
    question, news = message_ids(app)
    add_messages(app, make_user("bob"), bodies=["r1", "r2", "r3", "r4"], parent_id=question)

    page = client.get("/").get_data(as_text=True)
    # Newest first, and the three newest replies under the question; r1 only on its page.
    assert bodies_in(page) == ["news", "question", "r4", "r3", "r2"]
    assert f'<a href="/messages/{question}">4 replies</a>' in page
    # A visitor gets no "Reply" link under a message without replies.
    assert f'href="/messages/{news}"' not in page


def test_a_conversation_pages_its_replies_newest_first(app, client, make_user):
    add_messages(app, make_user("alice"), bodies=["question"])
    (question,) = message_ids(app)
    add_messages(app, make_user("bob"), 5, parent_id=question)

    seen, url = [], f"/messages/{question}?limit=2"
    while url:
        page = client.get(url).get_data(as_text=True)
        assert '<h1 class="h3 mb-3">Message by alice</h1>' in page
        shown = bodies_in(page)
        assert shown[0] == "question"  # the message heads every page of its replies
        seen += shown[1:]
        older = re.search(r'href="([^"]+)">Older', page)
        url = older and older.group(1).replace("&amp;", "&")
    assert seen == ["5", "4", "3", "2", "1"]


def test_replying_from_the_conversation(app, client, make_user, login):
    add_messages(app, make_user("alice"), bodies=["question"])
    (question,) = message_ids(app)
    assert "Log in</a> or" in client.get(f"/messages/{question}").get_data(as_text=True)

    login(client, make_user("bob"))
    form = client.get(f"/messages/{question}").get_data(as_text=True)
    assert f'action="/messages/{question}/replies"' in form and "data-max-length" in form
    response = client.post(f"/messages/{question}/replies", data={"body": "an *answer*"})
    assert response.status_code == 302 and response.location == f"/messages/{question}"
    page = client.get(response.location).get_data(as_text=True)
    assert "Your reply is posted." in page and "an <em>answer</em>" in page
    assert '<a href="/messages/1">1 reply</a>' in client.get("/").get_data(as_text=True)


def test_a_first_reply_is_offered_to_whoever_may_write_one(app, client, make_user, login):
    add_messages(app, make_user("alice"), bodies=["question"])
    (question,) = message_ids(app)
    reply_link = f'<a href="/messages/{question}">Reply</a>'
    assert reply_link not in client.get("/").get_data(as_text=True)
    login(client, make_user("bob"))
    assert reply_link in client.get("/").get_data(as_text=True)


def test_a_reply_to_a_reply_joins_the_same_conversation(app, client, make_user, login):
    add_messages(app, make_user("alice"), bodies=["question"])
    (question,) = message_ids(app)
    add_messages(app, make_user("bob"), bodies=["answer"], parent_id=question)
    answer = message_ids(app, Message.parent_id == question)[0]

    assert client.get(f"/messages/{answer}").location == f"/messages/{question}"
    login(client, make_user("carol"))
    response = client.post(f"/messages/{answer}/replies", data={"body": "me too"})
    assert response.location == f"/messages/{question}"
    assert len(message_ids(app, Message.parent_id == question)) == 2


def test_a_long_reply_is_refused_whole_and_kept_in_the_form(app, client, make_user, login):
    add_messages(app, make_user("alice"), bodies=["question"])
    (question,) = message_ids(app)
    login(client, make_user("bob"))
    too_long = "x" * (Message.MAX_LENGTH + 1)
    response = client.post(f"/messages/{question}/replies", data={"body": too_long})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A message can be at most 1000 characters." in page and too_long in page
    assert message_ids(app, Message.parent_id == question) == []


def test_replying_needs_the_write_permission_and_a_message(app, client, make_user, login):
    with app.app_context():
        db.session.add(Role(name="Muted", permissions=0))
        db.session.commit()
    add_messages(app, make_user("alice"), bodies=["question"])
    (question,) = message_ids(app)
    assert "/auth/login" in client.post(f"/messages/{question}/replies").location
    login(client, make_user("muted", role="Muted"))
    assert 'name="body"' not in client.get(f"/messages/{question}").get_data(as_text=True)
    response = client.post(f"/messages/{question}/replies", data={"body": "hi"})
    assert response.status_code == 403
    assert client.get("/messages/999").status_code == 404


def test_a_users_page_links_each_reply_to_its_conversation(app, client, make_user):
    add_messages(app, make_user("alice"), bodies=["question"])
    (question,) = message_ids(app)
    add_messages(app, make_user("bob"), bodies=["answer"], parent_id=question)
    alice_page = client.get("/u/alice").get_data(as_text=True)
    assert f'<a href="/messages/{question}">1 reply</a>' in alice_page
    assert "answer" not in alice_page  # the count only: the page is alice's messages
    bob_page = client.get("/u/bob").get_data(as_text=True)
    assert f'<a href="/messages/{question}">In reply to this message</a>' in bob_page


def test_deleting_a_message_from_its_page_deletes_its_replies(app, client, make_user, login):
    alice = make_user("alice")
    add_messages(app, alice, bodies=["question"])
    (question,) = message_ids(app)
    add_messages(app, make_user("bob"), 3, parent_id=question)
    login(client, alice)
    page = client.get(f"/messages/{question}").get_data(as_text=True)
    assert f'action="/messages/{question}/delete"' in page and 'name="next" value="/"' in page
    response = client.post(f"/messages/{question}/delete", data={"next": "/"})
    assert response.location == "/"
    assert message_ids(app) == []


# The API


def test_the_api_posts_replies_and_lists_them_with_their_parent(app, client, make_user):
    alice = make_user("alice")
    add_messages(app, alice, bodies=["question"])
    (question,) = message_ids(app)
    with app.app_context():
        _, secret = ApiToken.issue(db.session.merge(alice), "test")
        db.session.commit()
    headers = bearer(secret)

    answer = client.post(
        "/api/v1/messages", json={"body": "a", "parent_id": question}, headers=headers
    )
    assert answer.status_code == 201 and answer.json["parent_id"] == question
    # A reply to the reply goes under the same message.
    again = {"body": "b", "parent_id": answer.json["id"]}
    assert (
        client.post("/api/v1/messages", json=again, headers=headers).json["parent_id"] == question
    )
    unknown = client.post(
        "/api/v1/messages", json={"body": "c", "parent_id": 999}, headers=headers
    )
    assert (
        unknown.status_code == 404
        and unknown.json["error"]["message"] == "No message to reply to."
    )
    listed = client.get("/api/v1/messages").json["messages"]
    assert [m["parent_id"] for m in listed] == [question, question, None]


# On every database


def test_counts_newest_replies_and_cascade_on_every_database(any_app):
    alice = add_user(any_app)
    add_messages(any_app, alice, bodies=["quiet", "busy"])
    quiet, busy = message_ids(any_app)
    add_messages(any_app, alice, 5, parent_id=busy)
    with any_app.test_request_context("/"):
        rows = db.session.execute(
            sa.select(Message.id, Message.parent_id).where(Message.parent_id.is_(None))
        ).all()
        page = with_replies(Page(rows, older=None, newer=None), shown=2)
        assert page.replies.keys() == {busy}
        assert page.replies[busy].count == 5
        assert [reply.body for reply in page.replies[busy].latest] == ["5", "4"]

        # ON DELETE CASCADE: the database deletes the replies with their message.
        db.session.execute(sa.delete(Message).where(Message.id == busy))
        db.session.commit()
        assert db.session.scalars(sa.select(Message.body)).all() == ["quiet"]
