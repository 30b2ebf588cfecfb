"""Every error status is a page in the site's layout that says what happened and what to
do, and JSON under /api/ (errors.py decides both)."""

import re

import pytest
from flask import abort

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.errors import duration_in_words, size_in_words
from {{ cookiecutter.package }}.extensions import limiter
from {{ cookiecutter.package }}.templating import PROJECT_NAME

from .helpers import PASSWORD, log_in, unmigrated_app

# Each status, and words of its page's sentence.
SENTENCES = {
    400: "Go back, reload the page and try again.",
    403: "You are not allowed to do that.",
    404: "There is nothing at this address.",
    405: "This address does not take that kind of request.",
    413: "larger than the site accepts (at most 1 MB)",
    429: "Try again in 1 minute.",  # abort(429) has no limit to read: a minute
    500: "The error is logged.",
    503: "Please try again in a minute.",
}


def assert_site_page(response, status, title):
    """An HTML page in base.html's layout, with `title` as its heading and page title."""
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"<title>{title} · {PROJECT_NAME}</title>" in page
    assert '<nav class="navbar' in page and 'href="/static/app.css"' in page
    assert re.search(rf"<h1[^>]*>{re.escape(title)}</h1>", page)
    assert "Back to the board" in page
    return page


@pytest.fixture
def failing_app(app):
    """The app with a page and an API URL that answer any status: /fail/404, /api/fail/404."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # 500s are answered, not raised in the test

    def fail(status):
        abort(status)

    app.add_url_rule("/fail/<int:status>", "fail", fail)
    app.add_url_rule("/api/fail/<int:status>", "api_fail", fail)
    return app


@pytest.mark.parametrize("status", SENTENCES)
def test_each_status_is_a_page_in_the_layout(failing_app, status):
    response = failing_app.test_client().get(f"/fail/{status}")
    page = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html"
    assert SENTENCES[status] in page
    assert '<nav class="navbar' in page and f"· {PROJECT_NAME}</title>" in page


@pytest.mark.parametrize("status", SENTENCES)
def test_each_status_is_json_under_the_api(failing_app, status):
    response = failing_app.test_client().get(f"/api/fail/{status}")
    assert response.status_code == status and response.mimetype == "application/json"
    error = response.json["error"]
    assert error["status"] == status and error["code"] != "error" and error["message"]


def test_a_status_without_a_sentence_still_gets_the_layout(failing_app):
    page = assert_site_page(
        failing_app.test_client().get("/fail/415"), 415, "Unsupported Media Type"
    )
    assert "media type" in page  # Werkzeug's own description of the status


def test_405_keeps_the_allow_header(client):
    response = client.get("/auth/logout")
    assert_site_page(response, 405, "Not possible here")
    assert "POST" in response.headers["Allow"]


def test_413_says_how_much_is_accepted(app, client):
    too_large = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/auth/login", data={"email": "x" * too_large})
    page = assert_site_page(response, 413, "Too large")
    assert "(at most 1 MB)" in page


def test_the_login_refused_by_the_limit_says_why_and_when(client, make_user):
    """The 6th try after five failures, with the right password: refused, and the page
    says it was not checked and when to try again."""
    make_user("alice")
    for _ in range(5):
        assert log_in(client, "alice@example.com", "not the password, sorry").status_code == 200
    response = log_in(client, "alice@example.com", PASSWORD)
    page = assert_site_page(response, 429, "Too many attempts")
    assert "refused without being checked, even if it was right" in page
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert re.search(r"Try again in (\d+ seconds?|1 minute)\.", page)


def test_the_api_limit_sends_retry_after_too(app, client, make_user):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/api/limited")
    @limiter.limit("1 per hour")
    def limited():
        return {}

    assert client.post("/api/limited").status_code == 200
    response = client.post("/api/limited")
    assert response.status_code == 429 and response.json["error"]["code"] == "rate_limited"
    seconds = int(response.headers["Retry-After"])
    assert 3500 < seconds <= 3600
    assert f"Try again in {seconds} seconds." in response.json["error"]["message"]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (45, "45 seconds"), (60, "1 minute"), (61, "2 minutes"), (3600, "1 hour")],
)
def test_waiting_times_in_words(seconds, words):
    assert duration_in_words(seconds) == words


@pytest.mark.parametrize(("size", "words"), [(1024 * 1024, "1 MB"), (512 * 1024, "512 KB")])
def test_sizes_in_words(size, words):
    assert size_in_words(size) == words


def test_the_migration_guard_page_is_in_the_layout_without_loading_the_user(tmp_path):
    client = unmigrated_app(tmp_path).test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"  # a logged-in visitor: the users table does not exist yet
    page = assert_site_page(client.get("/"), 503, "Not available yet")
    assert "flask db upgrade" in page and "An administrator can fix it" in page
    assert "Log in" not in page  # no navigation: it would need the current user


def test_the_database_outage_page_is_in_the_layout_for_a_logged_in_visitor_too():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-folder/x.db")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"  # loading this user is what fails first
    response = client.get("/")
    page = assert_site_page(response, 503, "Try again shortly")
    assert response.headers["Retry-After"] == "30" and "cannot reach its database" in page


def test_the_favicon_is_linked_and_served(client):
    icon = "/static/favicon.svg"
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in client.get("/").text
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.location == icon
    response = client.get(icon)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data
