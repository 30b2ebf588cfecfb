"""Headers, cookies and the production configuration's refusals."""

import pytest
from flask import request, url_for

from {{ cookiecutter.package }} import create_app

from .helpers import PASSWORD, add_user, create_tables, csrf_token

SECRET = "a-real-secret-from-the-environment"


def production_app(**settings):
    settings = {
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "CHECK_MIGRATIONS": False,
        "BCRYPT_LOG_ROUNDS": 4,
        "RATELIMIT_ALLOW_PER_PROCESS": True,  # one process; its refusal is tested below
        "MAIL_ENABLED": False,  # no mail server here (tests/test_mail.py has one)
        **settings,
    }
    return create_app("production", **settings)


def with_one_user(app, username):
    """`app` with its tables, the roles and <username>@example.com (password PASSWORD)."""
    create_tables(app)
    add_user(app, username)
    return app


@pytest.mark.parametrize("path", ["/", "/no-such-page", "/auth/login"])
def test_every_response_has_the_security_headers(client, path):
    headers = client.get(path).headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # development runs on plain HTTP


def test_pages_need_no_inline_script_or_style(client):
    page = client.get("/auth/register").get_data(as_text=True)
    assert "<script>" not in page and "style=" not in page


def test_production_sends_hsts_and_secure_cookies():
    app = with_one_user(production_app(WTF_CSRF_ENABLED=False), "carol")
    client = app.test_client()

    response = client.post(
        "/auth/login", data={"email": "carol@example.com", "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert {cookie.split("=")[0] for cookie in cookies} >= {"session", "remember_token"}
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("key", [None, "", "change-me", "dev-only-not-secret"])
def test_production_refuses_a_missing_or_published_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        production_app(SECRET_KEY=key)


def test_production_runs_without_debug():
    app = production_app()
    assert not app.debug and not app.testing


def test_production_refuses_flask_debug(monkeypatch):
    with pytest.raises(RuntimeError, match="FLASK_DEBUG is on"):
        production_app(DEBUG=True)
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `flask run` reads to start the debugger
    with pytest.raises(RuntimeError, match="FLASK_DEBUG is on"):
        production_app()
    monkeypatch.setenv("FLASK_DEBUG", "0")
    assert not production_app().debug


def test_proxy_headers_are_trusted_only_when_configured():
    def client_address(app):
        app.add_url_rule("/address", "address", lambda: request.remote_addr)
        forwarded = {"X-Forwarded-For": "203.0.113.9"}
        return app.test_client().get("/address", headers=forwarded).get_data(as_text=True)

    assert client_address(production_app()) == "127.0.0.1"
    assert client_address(production_app(PROXY_HOPS=1)) == "203.0.113.9"


def test_oversized_requests_get_413(app, client):
    too_large = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/auth/login", data={"email": "x" * too_large})
    assert response.status_code == 413


def test_every_state_changing_route_requires_a_csrf_token(make_app):
    """Walks the URL map, so routes added later are checked too. Logged in: the API asks
    anonymous callers for a token (401) before any CSRF check, as they have no session."""
    app = make_app(WTF_CSRF_ENABLED=True)
    add_user(app, "alice")
    client = app.test_client()
    login = {"email": "alice@example.com", "password": PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/auth/login", data=login).status_code == 302
    changing = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert changing, "no state-changing routes found"
    for rule in changing:
        with app.test_request_context():
            url = url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1))
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            response = client.open(url, method=method, data={"body": "x"})
            assert response.status_code == 400, f"{method} {rule.rule} accepted no CSRF token"


def test_production_refuses_per_process_rate_limit_counts():
    with pytest.raises(RuntimeError, match="set REDIS_URL"):
        production_app(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ALLOW_PER_PROCESS=False)
    production_app(
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", RATELIMIT_ALLOW_PER_PROCESS=False
    )
    # Unless switched off explicitly, or the limits are off altogether.
    production_app(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ALLOW_PER_PROCESS=True)
    production_app(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ENABLED=False)


@pytest.mark.parametrize(
    ("path", "cached"),
    [("/auth/login", False), ("/auth/password", False), ("/admin/users", False), ("/", True)],
)
def test_account_and_admin_pages_are_never_stored(client, path, cached):
    response = client.get(path)
    assert (response.headers.get("Cache-Control") == "no-store") is not cached


def test_sqlite_files_are_readable_by_their_owner_only(tmp_path):
    database = tmp_path / "board.db"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    create_tables(app)
    for file in (database, tmp_path / "board.db-wal"):
        assert file.stat().st_mode & 0o777 == 0o600, file
