"""Mail and password reset against a real SMTP server (aiosmtpd on loopback) and the app
served over real HTTP: the tests read each mail, follow its link and finish the flow."""

import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer
from werkzeug.serving import make_server

from {{ cookiecutter.package }} import create_app, mail
from {{ cookiecutter.package }}.auth.reset import reset_token
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import OutgoingMail, User

from .helpers import (
    NEW_PASSWORD,
    PASSWORD,
    SMTPServer,
    add_user,
    create_tables,
    link_in,
    log_in,
)

WAIT_SECONDS = 15  # as helpers.Inbox waits


@pytest.fixture
def stopped_smtp():
    server = SMTPServer()  # nothing listens on its port until the test starts it
    yield server
    server.stop()


def mail_settings(tmp_path, server, **settings):
    return {
        # A file, not the in-memory database: the sender thread has its own connection.
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'mail.db'}",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_TIMEOUT": 2,
        "MAIL_SEND_IN_BACKGROUND": True,
        **settings,
    }


class Browser:
    """urllib with cookies: requests over real HTTP to a served app."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, path, data=None):
        url = urllib.parse.urljoin(self.base_url, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode()

    def csrf_token(self, path):
        _status, _url, page = self.request(path)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def log_in(self, address, password):
        return self.request("/auth/login", {"email": address, "password": password})


@pytest.fixture
def serve():
    """serve(app) -> base URL of `app` served over HTTP on loopback (threaded, like a web
    server with several workers)."""
    servers = []

    def serve(app):
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    for server in servers:
        server.shutdown()


def outbox(app):
    with app.app_context():
        return db.session.scalars(sa.select(OutgoingMail)).all()


def wait_until_sent(app):
    deadline = time.monotonic() + WAIT_SECONDS
    while outbox(app):
        assert time.monotonic() < deadline, "the outbox is not emptied"
        time.sleep(0.01)


def test_reset_by_mail_over_http(make_app, tmp_path, smtp, serve):
    app = make_app(**mail_settings(tmp_path, smtp))
    add_user(app)
    base_url = serve(app)
    other_device, browser = Browser(base_url), Browser(base_url)
    assert other_device.log_in("alice@example.com", PASSWORD)[1].endswith("/")

    status, _url, page = browser.request("/auth/login")
    assert "Forgot your password?" in page
    status, _url, page = browser.request("/auth/reset", {"email": " Alice@Example.com "})
    assert status == 200
    assert "Check your mail" in page

    message = smtp.inbox.wait_for(1)
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == "Reset your password"
    link = link_in(message)
    assert link.startswith(base_url + "auth/reset/")

    status, _url, page = browser.request(link)
    assert status == 200
    assert "Set a new password" in page
    status, url, page = browser.request(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert url.endswith("/auth/login")
    assert "Your password is set" in page

    # The link worked once, and the other device's session has ended.
    status, _url, page = browser.request(link)
    assert status == 400
    assert "This link does not work" in page
    assert "/auth/login?next=" in other_device.request("/auth/password")[1]
    assert "Invalid email or password" in browser.log_in("alice@example.com", PASSWORD)[2]
    assert browser.log_in("alice@example.com", NEW_PASSWORD)[1] == base_url
    wait_until_sent(app)
    with app.app_context():  # the link reached the address: it counts as confirmed
        assert db.session.scalar(sa.select(User.email_confirmed_at)) is not None


def test_no_mail_for_an_address_without_account(make_app, tmp_path, smtp, serve):
    app = make_app(**mail_settings(tmp_path, smtp))
    add_user(app)
    browser = Browser(serve(app))
    browser.request("/auth/reset", {"email": "nobody@example.com"})
    browser.request("/auth/reset", {"email": "alice@example.com"})
    assert smtp.inbox.wait_for(1)["To"] == "alice@example.com"
    wait_until_sent(app)  # the row for nobody@ is gone too, without a mail
    assert len(smtp.inbox.messages) == 1


def tampered(token):
    """`token` with one character of its data changed (its signature then fails)."""
    position = next(n for n in range(len(token) // 3, len(token)) if token[n].isalnum())
    return token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]


def reset_page(app, client, token):
    return client.get(f"/auth/reset/{token}")


def test_expired_reused_forged_and_tampered_tokens_are_refused(app, client, make_user):
    alice = make_user("alice")
    with app.app_context():
        token = reset_token(db.session.get(User, alice.id))
        forged = URLSafeTimedSerializer("not the app's key", salt="password-reset").dumps(
            {"user": alice.id, "stamp": db.session.get(User, alice.id).session_fragment()}
        )
        other_purpose = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other").dumps(
            {"user": alice.id}
        )
    assert reset_page(app, client, token).status_code == 200
    for bad in (forged, other_purpose, tampered(token), "garbage", "a" * 5000, token + "x"):
        response = reset_page(app, client, bad)
        assert response.status_code == 400, bad
        assert b"This link does not work" in response.data

    # Used once: refused afterwards.
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(f"/auth/reset/{token}", data=data).status_code == 302
    assert reset_page(app, client, token).status_code == 400
    assert client.post(f"/auth/reset/{token}", data=data).status_code == 400

    # Expired.
    with app.app_context():
        token = reset_token(db.session.get(User, alice.id))
    app.config["PASSWORD_RESET_MAX_AGE"] = 1
    time.sleep(2.1)  # itsdangerous timestamps count whole seconds
    assert reset_page(app, client, token).status_code == 400


def test_a_password_change_ends_the_link(app, client, make_user, login):
    alice = make_user("alice")
    with app.app_context():
        token = reset_token(db.session.get(User, alice.id))
    login(client, alice)
    changed = client.post(
        "/auth/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert reset_page(app, client, token).status_code == 400


def reset_request_medians(app, browser, addresses, answers):
    """Median seconds of 20 reset requests for each address, interleaved (after one
    warm-up round: templates, connections); `answers` gets each one's last page."""
    times = {address: [] for address in addresses}
    for number in range(21):
        # Each first in turn, so that neither always follows the other's mail.
        for address in sorted(times, reverse=number % 2 == 1):
            token = browser.csrf_token("/auth/reset")
            # Time the request alone: the sender's work for the previous request (a mail
            # for alice, a lookup for nobody) would otherwise run during this one.
            wait_until_sent(app)
            time.sleep(0.05)  # and the SMTP server, in this process, close the connection
            start = time.perf_counter()
            status, _url, page = browser.request(
                "/auth/reset", {"email": address, "csrf_token": token}
            )
            times[address].append(time.perf_counter() - start)
            assert status == 200
            answers[address] = page.replace(token, "CSRF")
    return [statistics.median(durations[1:]) for durations in times.values()]


def test_the_answer_does_not_tell_whether_an_account_exists(make_app, tmp_path, smtp, serve):
    app = make_app(
        **mail_settings(tmp_path, smtp),
        WTF_CSRF_ENABLED=True,
        PASSWORD_RESET_LIMIT="100 per hour",
        PASSWORD_RESET_ADDRESS_LIMIT="100 per hour",
    )
    add_user(app)
    browser = Browser(serve(app))
    answers = {}
    # Up to three measurements: on a busy machine (CI) one can be off by chance, while a
    # real difference (a bcrypt hash, a mail sent in the request) shows in every one.
    for attempt in range(1, 4):
        known, unknown = reset_request_medians(
            app, browser, ["alice@example.com", "nobody@example.com"], answers
        )
        print(
            f"reset request medians, measurement {attempt}: account {known * 1000:.2f} ms, "
            f"no account {unknown * 1000:.2f} ms"
        )
        if abs(known - unknown) <= 0.2 * max(known, unknown):
            break
    assert abs(known - unknown) <= 0.2 * max(known, unknown)
    assert answers["alice@example.com"] == answers["nobody@example.com"]
    assert "Check your mail" in answers["nobody@example.com"]
    smtp.inbox.wait_for(21 * attempt)  # every request for alice got its mail, nobody's none


def test_smtp_down_no_error_page_and_the_mail_arrives_later(
    make_app, tmp_path, stopped_smtp, serve, caplog
):
    app = make_app(**mail_settings(tmp_path, stopped_smtp))
    add_user(app)
    browser = Browser(serve(app))
    status, _url, page = browser.request("/auth/reset", {"email": "alice@example.com"})
    assert status == 200
    assert "Check your mail" in page

    deadline = time.monotonic() + WAIT_SECONDS
    while not any(row.last_error for row in outbox(app)):
        assert time.monotonic() < deadline, "no failed attempt recorded"
        time.sleep(0.05)
    assert any(
        record.levelname == "ERROR" and "not sent" in record.getMessage()
        for record in caplog.records
    )
    (row,) = outbox(app)
    assert row.attempts >= 1

    stopped_smtp.start()
    message = stopped_smtp.inbox.wait_for(1)
    assert link_in(message).startswith("http://127.0.0.1:")
    wait_until_sent(app)
    time.sleep(0.5)  # a retry after the success would be a second copy
    assert len(stopped_smtp.inbox.messages) == 1


def test_flask_mail_send_is_a_worker(make_app, tmp_path, smtp):
    app = make_app(**mail_settings(tmp_path, smtp, MAIL_SEND_IN_BACKGROUND=False))
    add_user(app)
    client = app.test_client()
    assert client.post("/auth/reset", data={"email": "alice@example.com"}).status_code == 200
    assert len(outbox(app)) == 1
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 waiting" in result.output
    assert smtp.inbox.wait_for(1)["To"] == "alice@example.com"


def test_two_senders_never_take_the_same_mail(make_app, tmp_path, smtp):
    app = make_app(**mail_settings(tmp_path, smtp, MAIL_SEND_IN_BACKGROUND=False))
    with app.test_request_context():
        mail.queue("password_reset", "alice@example.com")
        db.session.commit()
        (row,) = db.session.scalars(sa.select(OutgoingMail)).all()
        first, second = mail.claim(row.id, 0), mail.claim(row.id, 0)
    assert first is not None
    assert second is None


def test_reset_requests_are_rate_limited_per_email_and_per_address(app, client):
    for _ in range(3):
        assert client.post("/auth/reset", data={"email": "alice@example.com"}).status_code == 200
    refused = client.post("/auth/reset", data={"email": "ALICE@example.com"})
    assert refused.status_code == 429
    for number in range(6):  # 10 per address in all, the refused one included
        answer = client.post("/auth/reset", data={"email": f"user{number}@example.com"})
        assert answer.status_code == 200
    assert client.post("/auth/reset", data={"email": "zed@example.com"}).status_code == 429
    other_address = {"environ_base": {"REMOTE_ADDR": "192.0.2.7"}}
    assert (
        client.post("/auth/reset", data={"email": "zed@example.com"}, **other_address).status_code
        == 200
    )


def test_development_prints_mail_in_the_terminal(tmp_path, capsys):
    app = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'dev.db'}",
        MAIL_SERVER="",
        MAIL_SEND_IN_BACKGROUND=False,
        CHECK_MIGRATIONS=False,
        BCRYPT_LOG_ROUNDS=4,
    )
    create_tables(app)
    add_user(app)
    assert app.config["MAIL_BACKEND"] == "console"
    with app.test_request_context(base_url="http://127.0.0.1:5000/"):
        mail.queue("password_reset", "alice@example.com")
        db.session.commit()
        assert mail.send_pending() == 1
    printed = capsys.readouterr().out
    assert "To: alice@example.com" in printed
    assert "http://127.0.0.1:5000/auth/reset/" in printed


def test_production_refuses_to_start_without_a_mail_server():
    settings = {
        "SECRET_KEY": "a production secret",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "RATELIMIT_ALLOW_PER_PROCESS": True,  # the rate-limit store's refusal is another test's
    }
    with pytest.raises(RuntimeError, match="MAIL_SERVER is not set") as refused:
        create_app("production", MAIL_SERVER="", **settings)
    assert "\n" not in str(refused.value)
    create_app("production", MAIL_SERVER="smtp.example.com", **settings)
    create_app("production", MAIL_SERVER="", MAIL_ENABLED=False, **settings)


def test_mail_switched_off_has_no_reset(make_app):
    client = make_app(MAIL_ENABLED=False).test_client()
    assert b"Forgot your password?" not in client.get("/auth/login").data
    assert client.get("/auth/reset").status_code == 404
    assert client.post("/auth/reset", data={"email": "alice@example.com"}).status_code == 404
    add_user(client.application)
    assert log_in(client, "alice@example.com").status_code == 302
    assert b'href="/auth/email"' not in client.get("/").data
    for path in ("/auth/email", "/auth/confirm/anything"):
        assert client.get(path).status_code == 404
    assert client.post("/auth/confirm/resend").status_code == 404


def test_required_confirmation_over_http(make_app, tmp_path, smtp, serve):
    app = make_app(**mail_settings(tmp_path, smtp, EMAIL_CONFIRMATION="required"))
    browser = Browser(serve(app))
    data = {"username": "ada", "email": "ada@example.com", "password": PASSWORD}
    status, _url, page = browser.request("/auth/register", data | {"confirm": PASSWORD})
    assert status == 200
    assert "Confirm your email to post" in page
    assert 'name="body"' not in page  # no message form
    message = smtp.inbox.wait_for(1)
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Confirm your email"

    # Logged in, but cannot post, on the board or by the API.
    status, _url, page = browser.request("/messages", {"body": "Too early"})
    assert status == 403
    # "Send again", three times an hour.
    for count in (2, 3, 4):
        status, _url, page = browser.request("/auth/confirm/resend", {})
        assert status == 200
        assert "We sent a new link to ada@example.com" in page
        smtp.inbox.wait_for(count)
    assert browser.request("/auth/confirm/resend", {})[0] == 429

    status, _url, page = browser.request(link_in(message))
    assert "Your email is confirmed." in page
    assert "Confirm your email to post" not in page
    status, _url, page = browser.request("/messages", {"body": "Confirmed now"})
    assert "Your message is posted." in page


def test_optional_confirmation_posts_at_once_and_confirms(make_app, tmp_path, smtp, serve):
    app = make_app(**mail_settings(tmp_path, smtp, EMAIL_CONFIRMATION="optional"))
    browser = Browser(serve(app))
    data = {"username": "ada", "email": "ada@example.com", "password": PASSWORD}
    browser.request("/auth/register", data | {"confirm": PASSWORD})
    assert "Your message is posted." in browser.request("/messages", {"body": "Hi"})[2]
    assert "Your email is confirmed." in browser.request(link_in(smtp.inbox.wait_for(1)))[2]
    with app.app_context():
        assert db.session.scalar(sa.select(User.email_confirmed_at)) is not None


def test_no_confirmation_mail_when_off(app, client):
    app.config["EMAIL_CONFIRMATION"] = "off"
    data = {"username": "ada", "email": "ada@example.com", "password": PASSWORD}
    assert client.post("/auth/register", data=data | {"confirm": PASSWORD}).status_code == 302
    assert outbox(app) == []


def test_change_email_over_http(make_app, tmp_path, smtp, serve):
    app = make_app(**mail_settings(tmp_path, smtp))
    add_user(app)
    browser = Browser(serve(app))
    browser.log_in("alice@example.com", PASSWORD)
    status, _url, page = browser.request(
        "/auth/email", {"email": "alice@new.example", "current": "not my password"}
    )
    assert "That is not your current password." in page
    status, _url, page = browser.request(
        "/auth/email", {"email": "Alice@New.example", "current": PASSWORD}
    )
    assert "your email changes when you open it" in page

    smtp.inbox.wait_for(2)
    by_recipient = {message["To"]: message for message in smtp.inbox.messages}
    notice = by_recipient["alice@example.com"]
    assert "asked to change its email" in notice.get_body(preferencelist=("plain",)).get_content()
    link = link_in(by_recipient["alice@new.example"])

    # Nothing changed yet: the old address still logs in, the new one does not.
    other = Browser(browser.base_url)
    assert "Invalid email or password" in other.log_in("alice@new.example", PASSWORD)[2]
    assert "Your email is now alice@new.example." in browser.request(link)[2]
    assert other.log_in("alice@new.example", PASSWORD)[1] == browser.base_url
    assert browser.request(link)[0] == 400  # used: the account's email is no longer the old one
    with app.app_context():
        assert db.session.scalar(sa.select(User.email_confirmed_at)) is not None


def test_change_email_needs_a_fresh_login(app, make_user):
    alice = make_user()
    first = app.test_client()
    first.post("/auth/login", data={"email": alice.email, "password": PASSWORD, "remember": "y"})
    client = app.test_client()  # only the remember-me cookie: logged in, not fresh
    client.set_cookie("remember_token", first.get_cookie("remember_token").value)
    for response in [
        client.get("/auth/email"),
        client.post("/auth/email", data={"email": "a@new.example", "current": PASSWORD}),
    ]:
        assert response.status_code == 302
        assert response.location == "/auth/login?next=%2Fauth%2Femail"
    assert outbox(app) == []


def test_change_email_to_a_taken_address_mails_nothing(app, client, make_user, login):
    login(client, make_user("alice"))
    make_user("bob")
    answer = client.post("/auth/email", data={"email": "bob@example.com", "current": PASSWORD})
    assert answer.status_code == 302  # the same answer as for a free address
    with app.test_request_context():
        assert mail.send_pending() == 2
    assert [message.to for message in flask_mailman_outbox(app)] == [["alice@example.com"]]


def flask_mailman_outbox(app):
    with app.app_context():
        return app.extensions["mailman"].outbox


def test_bad_confirmation_links_are_refused(app, client, make_user):
    from {{ cookiecutter.package }}.auth.confirm import confirmation_token

    alice = make_user("alice")
    with app.app_context():
        token = confirmation_token(db.session.get(User, alice.id), "alice@example.com")
        forged = URLSafeTimedSerializer("not the app's key", salt="confirm-email").dumps(
            {"user": alice.id, "email": "alice@example.com", "current": "alice@example.com"}
        )
    for bad in (forged, tampered(token), "garbage", token + "x"):
        assert client.get(f"/auth/confirm/{bad}").status_code == 400
    app.config["EMAIL_CONFIRMATION_MAX_AGE"] = 1
    time.sleep(2.1)
    assert client.get(f"/auth/confirm/{token}").status_code == 400


def test_seeded_and_cli_made_users_are_confirmed(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'cli.db'}")
    create_tables(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed", "--admin-email", "root@example.com"]).exit_code == 0
    created = runner.invoke(
        args=["users", "create", "bob", "bob@example.com", "--password", PASSWORD]
    )
    assert created.exit_code == 0, created.output
    with app.app_context():
        assert db.session.scalars(sa.select(User.email_confirmed_at)).all()
        assert None not in db.session.scalars(sa.select(User.email_confirmed_at)).all()
