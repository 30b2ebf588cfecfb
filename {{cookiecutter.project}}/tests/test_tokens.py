"""The API tokens page, /auth/tokens: making a token (shown once), the list, revoking."""

import re

import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import ApiToken

from .helpers import PASSWORD

TOKEN = re.compile(r"mbt_[A-Za-z0-9_-]{43}")


def create(client, name="laptop"):
    return client.post("/auth/tokens", data={"name": name})


def works(client, secret):
    """True if the API accepts the token."""
    headers = {"Authorization": f"Bearer {secret}"}
    return client.get("/api/v1/messages", headers=headers).status_code == 200


def token_names(app):
    with app.app_context():
        return db.session.scalars(sa.select(ApiToken.name).order_by(ApiToken.id)).all()


def test_the_page_needs_a_login(client):
    response = client.get("/auth/tokens")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")


def test_a_new_token_is_shown_once_and_then_listed(app, client, make_user, login):
    login(client, make_user())
    response = create(client, "  laptop ")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    (secret,) = TOKEN.findall(page)
    assert "will not be shown again" in page
    assert "<script>" not in page and "style=" not in page  # the CSP allows neither
    assert works(client, secret)

    page = client.get("/auth/tokens").get_data(as_text=True)
    assert secret not in page
    assert '<td class="token-name">laptop</td>' in page
    assert token_names(app) == ["laptop"]


def test_the_list_shows_when_a_token_was_last_used(client, make_user, login):
    login(client, make_user())
    (secret,) = TOKEN.findall(create(client).get_data(as_text=True))
    page = client.get("/auth/tokens").get_data(as_text=True)
    assert "<td>never</td>" in page and page.count("<time ") == 1  # when it was created
    works(client, secret)
    page = client.get("/auth/tokens").get_data(as_text=True)
    assert "<td>never</td>" not in page and page.count("<time ") == 2


def test_names_are_required_and_unique_per_user_in_any_case(app, client, make_user, login):
    login(client, make_user("alice"))
    create(client, "laptop")
    for name, error in [("", "This field is required."), ("Laptop", "already have a token")]:
        response = create(client, name)
        assert error in response.get_data(as_text=True)
        assert not TOKEN.search(response.get_data(as_text=True))
    assert token_names(app) == ["laptop"]

    bob = app.test_client()  # another user may use the same name
    login(bob, make_user("bob"))
    assert TOKEN.search(create(bob, "laptop").get_data(as_text=True))


def test_revoking_a_token_stops_it(app, client, make_user, login):
    login(client, make_user())
    (secret,) = TOKEN.findall(create(client).get_data(as_text=True))
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))
    response = client.post(f"/auth/tokens/{token_id}/revoke", follow_redirects=True)
    assert "The token laptop is revoked" in response.get_data(as_text=True)
    assert token_names(app) == []
    assert not works(client, secret)


def test_other_users_tokens_are_untouchable(app, client, make_user, login):
    login(client, make_user("alice"))
    (secret,) = TOKEN.findall(create(client, "alices-laptop").get_data(as_text=True))
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))

    other = app.test_client()
    login(other, make_user("bob"))
    assert "alices-laptop" not in other.get("/auth/tokens").get_data(as_text=True)
    assert other.post(f"/auth/tokens/{token_id}/revoke").status_code == 404
    assert token_names(app) == ["alices-laptop"]
    assert works(client, secret)


def test_a_remembered_session_must_log_in_again_to_make_a_token(app, make_user):
    alice = make_user()
    first = app.test_client()
    first.post("/auth/login", data={"email": alice.email, "password": PASSWORD, "remember": "y"})
    # A new browser session with only the remember-me cookie: logged in, but not fresh.
    client = app.test_client()
    client.set_cookie("remember_token", first.get_cookie("remember_token").value)

    for response in [client.get("/auth/tokens"), create(client)]:
        assert response.status_code == 302
        assert response.location == "/auth/login?next=%2Fauth%2Ftokens"
    assert token_names(app) == []


def test_changing_the_password_keeps_tokens_working(client, make_user, login):
    login(client, make_user())
    (secret,) = TOKEN.findall(create(client).get_data(as_text=True))
    new = "a brand new passphrase here"
    data = {"current": PASSWORD, "password": new, "confirm": new}
    assert client.post("/auth/password", data=data).status_code == 302
    assert works(client, secret)


def test_the_nav_links_to_the_tokens_page(client, make_user, login):
    assert 'href="/auth/tokens"' not in client.get("/").get_data(as_text=True)
    login(client, make_user())
    assert 'href="/auth/tokens"' in client.get("/").get_data(as_text=True)
