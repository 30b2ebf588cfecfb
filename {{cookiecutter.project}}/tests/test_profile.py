"""A user's page says who they are: an avatar drawn on the page, "member since", and the
"about" text they write on their profile page."""

import re

import pytest

from {{ cookiecutter.package }}.models import User
from {{ cookiecutter.package }}.templating import avatar_hue

from .helpers import add_messages


def test_the_page_shows_the_avatar_and_member_since(client, make_user):
    make_user("alice")
    page = client.get("/u/alice").get_data(as_text=True)
    assert '<h1 class="h3 mb-1 text-break">alice</h1>' in page
    assert re.search(r"Member since \w+ \d+, 20\d\d", page)
    # Drawn in the page (no image request, so no third party and no CSP change).
    assert f'fill="hsl({avatar_hue("alice")}, 45%, 40%)"' in page and ">A</text>" in page
    assert "<img" not in page
    assert "Edit profile" not in page  # a visitor's view


def test_avatar_colours_are_stable_and_differ_between_names():
    assert avatar_hue("alice") == avatar_hue("alice")
    hues = {avatar_hue(f"user{number}") for number in range(50)}
    assert len(hues) > 30 and all(0 <= hue < 360 for hue in hues)


def test_the_owner_writes_about_themselves(app, client, make_user, login):
    login(client, make_user("alice"))
    page = client.get("/u/alice").get_data(as_text=True)
    assert 'href="/profile">Edit profile</a>' in page
    form = client.get("/profile").get_data(as_text=True)
    assert f'data-max-length="{User.ABOUT_MAX_LENGTH}"' in form
    about = "Writes <b>code</b>.\r\nLikes tea."
    response = client.post("/profile", data={"about": about})
    assert response.status_code == 302 and response.location == "/u/alice"
    page = client.get("/u/alice").get_data(as_text=True)
    assert "Your profile is saved." in page
    # Plain text, escaped, its line break kept by CSS (white-space: pre-line).
    assert '<p class="profile-about">Writes &lt;b&gt;code&lt;/b&gt;.\nLikes tea.</p>' in page
    assert "Writes &lt;b&gt;code&lt;/b&gt;.\nLikes tea.</textarea>" in client.get("/profile").text

    client.post("/profile", data={"about": "   "})  # emptied: nothing shown
    assert "profile-about" not in client.get("/u/alice").get_data(as_text=True)


def test_too_long_text_comes_back_whole_and_saves_nothing(app, client, make_user, login):
    login(client, make_user("alice"))
    client.post("/profile", data={"about": "kept"})
    too_long = "x" * (User.ABOUT_MAX_LENGTH + 1)
    response = client.post("/profile", data={"about": too_long})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f"At most {User.ABOUT_MAX_LENGTH} characters" in page
    assert f"{too_long}</textarea>" in page
    assert '<p class="profile-about">kept</p>' in client.get("/u/alice").text


@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_are_sent_to_log_in(client, method):
    response = getattr(client, method)("/profile")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_messages_carry_their_authors_avatar(app, client, make_user):
    add_messages(app, make_user("bob"), bodies=["hi"])
    page = client.get("/").get_data(as_text=True)
    assert f'fill="hsl({avatar_hue("bob")}, 45%, 40%)"' in page and ">B</text>" in page
