"""The admin pages: administrators only, after a fresh login; the last one stays."""

import re

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import User

from .helpers import PASSWORD


def role_of(app, username):
    with app.app_context():
        return db.session.scalar(sa.select(User).filter_by(username=username)).role.name


def set_role(client, user, role):
    return client.post(f"/admin/users/{user.id}/role", data={"role": role})


def test_anonymous_users_are_sent_to_log_in(app, client, make_user):
    bob = make_user("bob")
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login?next=")
    assert set_role(client, bob, "Administrator").location.startswith("/auth/login")
    assert role_of(app, "bob") == "User"


@pytest.mark.parametrize("role", ["User", "Moderator"])
def test_non_administrators_get_403(app, client, make_user, login, role):
    login(client, make_user("alice", role=role))
    bob = make_user("bob")
    assert client.get("/admin/users").status_code == 403
    assert set_role(client, bob, "Administrator").status_code == 403
    assert set_role(client, make_user("carol"), "Administrator").status_code == 403
    assert role_of(app, "alice") == role
    assert role_of(app, "bob") == "User"


def test_admin_lists_users_with_their_roles(client, make_user, login):
    login(client, make_user("boss", role="Administrator"))
    make_user("mod", role="Moderator")
    make_user("bob")
    page = client.get("/admin/users").get_data(as_text=True)
    rows = re.findall(
        r"<td[^>]*><a [^>]*>([^<]+)</a></td>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]+)</td>", page
    )
    assert rows == [("boss", "Administrator"), ("mod", "Moderator"), ("bob", "User")]


def test_admin_changes_a_role(app, client, make_user, login):
    login(client, make_user("boss", role="Administrator"))
    bob = make_user("bob")
    response = set_role(client, bob, "Moderator")
    assert response.status_code == 302 and response.location == "/admin/users"
    assert role_of(app, "bob") == "Moderator"
    assert "bob is now in the role Moderator." in client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize("role", ["Superuser", "", "administrator"])
def test_admin_cannot_set_an_unknown_role(app, client, make_user, login, role):
    login(client, make_user("boss", role="Administrator"))
    bob = make_user("bob")
    assert set_role(client, bob, role).status_code == 302
    assert role_of(app, "bob") == "User"


def test_unknown_user_is_404(client, make_user, login):
    login(client, make_user("boss", role="Administrator"))
    assert client.post("/admin/users/999/role", data={"role": "User"}).status_code == 404


def test_the_last_administrator_cannot_demote_themself(app, client, make_user, login):
    boss = make_user("boss", role="Administrator")
    login(client, boss)
    response = set_role(client, boss, "User")
    assert response.status_code == 302
    assert role_of(app, "boss") == "Administrator"
    page = client.get("/admin/users").get_data(as_text=True)
    assert "boss is the last administrator" in page

    # With a second administrator, stepping down is fine.
    make_user("deputy", role="Administrator")
    set_role(client, boss, "Moderator")
    assert role_of(app, "boss") == "Moderator"
    assert client.get("/admin/users").status_code == 403


def test_a_remembered_session_must_log_in_again(app, make_user):
    boss = make_user("boss", role="Administrator")
    bob = make_user("bob")
    first = app.test_client()
    first.post("/auth/login", data={"email": boss.email, "password": PASSWORD, "remember": "y"})
    # A new browser session with only the remember-me cookie: logged in, but not fresh.
    client = app.test_client()
    client.set_cookie("remember_token", first.get_cookie("remember_token").value)
    assert "Logged in as" in client.get("/").get_data(as_text=True)

    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.location == "/auth/login?next=%2Fadmin%2Fusers"
    assert set_role(client, bob, "Moderator").status_code == 302
    assert role_of(app, "bob") == "User"
    page = client.get(response.location).get_data(as_text=True)
    assert "Please log in again" in page and 'name="password"' in page

    response = client.post(
        "/auth/login?next=%2Fadmin%2Fusers", data={"email": boss.email, "password": PASSWORD}
    )
    assert response.location == "/admin/users"
    assert client.get("/admin/users").status_code == 200
    set_role(client, bob, "Moderator")
    assert role_of(app, "bob") == "Moderator"


def test_nav_links_to_the_admin_page_for_administrators_only(client, make_user, login):
    login(client, make_user("alice"))
    assert 'href="/admin/users"' not in client.get("/").get_data(as_text=True)
    client.post("/auth/logout")
    login(client, make_user("boss", role="Administrator"))
    assert 'href="/admin/users"' in client.get("/").get_data(as_text=True)
