"""A generated project serves the board over real HTTP: the whole user journey."""

import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from helpers import serving

PASSWORD = "a long enough passphrase"


def serve(project):
    """`flask run` in the project, as a user would start it."""
    flask_run = [sys.executable, "-m", "flask", "run", "--port", "{port}", "--no-reload"]
    return serving(flask_run + ["--no-debugger"], project)


class Browser:
    """Just enough of a browser: cookies, redirects, and the CSRF token of the last page."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.page = ""

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, body, timeout=10) as response:
                self.status, self.page = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.status, self.page = error.code, error.read().decode()
        return self.page

    def submit(self, path, **fields):
        """POST a form the way the page would, with the page's CSRF token."""
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.page)
        token = token or re.search(r'name="csrf_token" value="([^"]+)"', self.page)
        assert token, f"no CSRF token on the page before POST {path}"
        return self.open(path, {"csrf_token": token[1], **fields})


def register_and_log_in(browser, username):
    email = f"{username}@example.com"
    browser.open("/auth/register")
    browser.submit(
        "/auth/register", username=username, email=email, password=PASSWORD, confirm=PASSWORD
    )
    assert browser.status == 200
    if "Log out" not in browser.page:  # registration may ask to log in first
        browser.open("/auth/login")
        browser.submit("/auth/login", email=email, password=PASSWORD)
    assert browser.status == 200 and "Log out" in browser.page and username in browser.page


def message_ids(page):
    return re.findall(r'action="/messages/(\d+)/delete"', page)


def test_register_log_in_post_see_delete_log_out(default_project):
    with serve(default_project) as (url, _pid):
        alice, bob = Browser(url), Browser(url)
        register_and_log_in(alice, "alice")

        alice.open("/")
        alice.submit("/messages", body="Hello from alice <b>not bold</b>")
        assert alice.status == 200
        assert "Hello from alice &lt;b&gt;not bold&lt;/b&gt;" in alice.page
        (message_id,) = message_ids(alice.page)

        # Someone else may not delete it: 403, and it stays.
        register_and_log_in(bob, "bob")
        bob.open("/")
        assert message_ids(bob.page) == []  # no delete button for bob
        bob.submit(f"/messages/{message_id}/delete")
        assert bob.status == 403
        assert "Hello from alice" in bob.open("/")

        alice.open("/u/alice")
        alice.submit(f"/messages/{message_id}/delete")
        assert alice.status == 200 and "Hello from alice" not in alice.page

        alice.submit("/auth/logout")
        assert alice.status == 200 and "Log out" not in alice.page
        assert "Log in" in alice.page
