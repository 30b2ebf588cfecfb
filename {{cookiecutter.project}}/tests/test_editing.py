"""Editing a message: its author within MESSAGE_EDIT_MINUTES, a moderator any time; the
page then says it was edited, and when."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import Message, Role, utcnow

from .helpers import add_messages, add_user


def only_message(app):
    with app.app_context():
        return db.session.scalars(sa.select(Message)).one()


def post(client, body="first"):
    assert client.post("/messages", data={"body": body}).status_code == 302


def test_the_author_edits_within_the_window(app, client, make_user, login):
    login(client, make_user())
    post(client, "first *draft*")
    message = only_message(app)
    page = client.get("/").get_data(as_text=True)
    edit_url = f"/messages/{message.id}/edit"
    assert f'href="{edit_url}?next=/"' in page and "edited" not in page

    form = client.get(f"{edit_url}?next=/u/alice").get_data(as_text=True)
    assert "first *draft*</textarea>" in form and 'name="next" value="/u/alice"' in form
    response = client.post(edit_url, data={"body": "first **final**", "next": "/u/alice"})
    assert response.status_code == 302 and response.location == "/u/alice"

    edited = only_message(app)
    assert edited.body == "first **final**" and "<strong>final</strong>" in edited.body_html
    assert edited.created_at == message.created_at and edited.edited_at >= message.created_at
    page = client.get("/u/alice").get_data(as_text=True)
    assert "Your changes are saved." in page
    edited_at = edited.edited_at.isoformat(timespec="seconds")
    assert f'· edited <time class="edited" datetime="{edited_at}Z">' in page


def test_after_the_window_the_author_is_told_why(app, client, make_user, login):
    author = make_user()
    add_messages(app, author, bodies=["old"])  # posted long before MESSAGE_EDIT_MINUTES
    login(client, author)
    message = only_message(app)
    assert "/edit" not in client.get("/").get_data(as_text=True)
    response = client.post(f"/messages/{message.id}/edit", data={"body": "new"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "A message can be edited for 15 minutes after posting." in page
    assert only_message(app).body == "old" and only_message(app).edited_at is None


def test_the_window_comes_from_config(make_app):
    app = make_app(MESSAGE_EDIT_MINUTES=60)
    author = add_user(app)
    message = Message(body="hi", author_id=author.id, created_at=utcnow())
    with app.app_context():
        assert author.can_edit(message, now=message.created_at + timedelta(minutes=59))
        assert not author.can_edit(message, now=message.created_at + timedelta(minutes=61))


def test_others_cannot_edit_but_moderators_can_any_time(app, client, make_user, login):
    add_messages(app, make_user("alice"), bodies=["alice's"])
    message = only_message(app)
    login(client, make_user("bob"))
    assert client.get(f"/messages/{message.id}/edit").status_code == 403
    assert client.post(f"/messages/{message.id}/edit", data={"body": "bob's"}).status_code == 403

    moderator = app.test_client()
    login(moderator, make_user("mo", role="Moderator"))
    assert f"/messages/{message.id}/edit" in moderator.get("/").get_data(as_text=True)
    response = moderator.post(f"/messages/{message.id}/edit", data={"body": "tidied"})
    assert response.status_code == 302
    assert only_message(app).body == "tidied"


def test_an_author_who_may_no_longer_write_cannot_edit(app, client, make_user, login):
    with app.app_context():
        db.session.add(Role(name="Muted", permissions=0))
        db.session.commit()
    muted = make_user(role="Muted")
    with app.app_context():
        db.session.add(Message(body="before", author_id=muted.id))  # now: inside the window
        db.session.commit()
    login(client, muted)
    message = only_message(app)
    assert client.post(f"/messages/{message.id}/edit", data={"body": "after"}).status_code == 403
    assert only_message(app).body == "before"


def test_visitors_are_sent_to_log_in_and_unknown_messages_are_404(app, client, make_user, login):
    add_messages(app, make_user(), bodies=["x"])
    message = only_message(app)
    assert "/auth/login" in client.get(f"/messages/{message.id}/edit").location
    login(client, make_user("bob"))
    assert client.get("/messages/999/edit").status_code == 404


@pytest.mark.parametrize(
    ("body", "error"),
    [("   ", "This field is required."), ("x" * (Message.MAX_LENGTH + 1), "Shorten it")],
)
def test_a_bad_edit_comes_back_and_changes_nothing(app, client, make_user, login, body, error):
    login(client, make_user())
    post(client, "kept")
    message = only_message(app)
    response = client.post(f"/messages/{message.id}/edit", data={"body": body, "next": "/"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and error in page
    assert f"{body.strip()}</textarea>" in page
    assert only_message(app).body == "kept" and only_message(app).edited_at is None


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_the_edit_only_goes_back_to_this_site(app, client, make_user, login, next_url):
    login(client, make_user())
    post(client)
    message = only_message(app)
    response = client.post(f"/messages/{message.id}/edit", data={"body": "b", "next": next_url})
    assert response.location == "/"
