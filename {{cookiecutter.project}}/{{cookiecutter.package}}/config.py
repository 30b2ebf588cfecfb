"""Configuration classes, selected by the FLASK_CONFIG environment variable.

Values come from the environment (the `flask` command loads .flaskenv and .env
for you). Nothing secret lives in this file.
"""

import os

{% if cookiecutter.database == "sqlite" -%}
# A relative SQLite path is resolved inside the instance/ folder by Flask-SQLAlchemy.
DEFAULT_DATABASE_URL = "sqlite:///{{ cookiecutter.package }}.db"
{%- elif cookiecutter.database == "postgresql" -%}
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{{ cookiecutter.package }}"
{%- else -%}
DEFAULT_DATABASE_URL = "mysql+pymysql://root@127.0.0.1:3306/{{ cookiecutter.package }}?charset=utf8mb4"
{%- endif %}

# The From address of mail unless MAIL_DEFAULT_SENDER says otherwise: the admin's email.
DEFAULT_SENDER = {{ cookiecutter.admin_email | quoted }}


def engine_options(config):
    """Connection pool settings that suit the database the config names."""
    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return {}
    return {
        # Server databases close idle connections (MySQL after 8 hours by default):
        # test each connection before use and replace it well before that.
        "pool_pre_ping": True,
        "pool_recycle": 1800,
        "pool_size": config["DATABASE_POOL_SIZE"],
        "max_overflow": config["DATABASE_MAX_OVERFLOW"],
    }


# Keys that appear in this project's files: never acceptable in production.
PUBLIC_SECRET_KEYS = {"change-me", "dev-only-not-secret", "testing-only-not-secret"}


def host_list(value):
    """Turn "a.example, b.example" into ["a.example", "b.example"], and "" into None."""
    return [host.strip() for host in value.split(",") if host.strip()] or None


def env_flag(name, default):
    """A yes/no setting from the environment: "1", "true", "yes", "on" (any case) are yes."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    # Connections each worker process keeps open to a server database, and how many more
    # it may open at a peak. Workers x (size + overflow) must stay under max_connections.
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "5"))
    DATABASE_MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW", "10"))
    MESSAGES_PER_PAGE = 20
    # How long after posting authors may edit their message (moderators: any time).
    MESSAGE_EDIT_MINUTES = int(os.environ.get("MESSAGE_EDIT_MINUTES", "15"))
    MAX_MESSAGES_PER_PAGE = 100
    BCRYPT_LOG_ROUNDS = 12
    # NIST SP 800-63B: at least 15 characters when a password is the only factor.
    PASSWORD_MIN_LENGTH = 15
    # Bootstrap-Flask serves its CSS and JS from the package: the app works offline.
    BOOTSTRAP_SERVE_LOCAL = True
    # Refuse to serve pages while the database is not at the migrations' head.
    CHECK_MIGRATIONS = True
    # Requests larger than this get 413 before any view reads them.
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Cookies: no JavaScript access, not sent along with cross-site requests.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_NAME = "remember_token"  # Flask-Login's default, named for the views
    # Host names the app answers to (url_for(_external=True) trusts the Host header otherwise).
    TRUSTED_HOSTS = host_list(os.environ.get("TRUSTED_HOSTS", ""))
    # How many reverse proxies set X-Forwarded-* in front of the app; 0 trusts none.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    # Rate limits. In memory, each worker process counts on its own; set REDIS_URL
    # (redis://host:6379/0) so that all workers share the counts.
    # Production refuses to start on in-memory counts unless RATELIMIT_ALLOW_PER_PROCESS=1.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_ALLOW_PER_PROCESS = os.environ.get("RATELIMIT_ALLOW_PER_PROCESS") == "1"
    # When Redis is down, count in memory (per process) until it is back, and say so in
    # the log, rather than answering 500 on every rate-limited page.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Visitors' pages and the API's list from the page cache (page_cache.py); false
    # switches it off. They are kept in each worker's memory (at most CACHE_THRESHOLD),
    # or with REDIS_URL in Redis, shared by every worker and machine. Pages of an older
    # board version are never served; CACHE_DEFAULT_TIMEOUT (seconds) lets them age out.
    PAGE_CACHE_ENABLED = env_flag("PAGE_CACHE_ENABLED", True)
    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_KEY_PREFIX = "{{ cookiecutter.package }}/"
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_THRESHOLD = 500
    # Failed logins per account (email) and, separately, per client address.
    LOGIN_FAILURE_LIMIT = "5 per minute"
    # Registration attempts per client address.
    REGISTRATION_LIMIT = "5 per hour"
    # API writes (posting and deleting messages) per user, whether by token or session.
    API_WRITE_LIMIT = "60 per minute"
    # Mail (Flask-Mailman reads the MAIL_* names). MAIL_ENABLED=false switches mail off:
    # no password reset then. Without MAIL_SERVER, development prints mail in the terminal
    # and production refuses to start (see check_production_settings in __init__.py).
    MAIL_ENABLED = env_flag("MAIL_ENABLED", True)
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = env_flag("MAIL_USE_TLS", False)  # STARTTLS, usually on port 587
    MAIL_USE_SSL = env_flag("MAIL_USE_SSL", False)  # TLS from the start, usually port 465
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", DEFAULT_SENDER)
    # Seconds to wait for the mail server before counting the attempt as failed.
    MAIL_TIMEOUT = 10
    # Mail waits in the outbox table and a sender thread in each web process sends it
    # (MAIL_SEND_IN_BACKGROUND); `flask mail send --watch` is the same as a separate worker.
    MAIL_SEND_IN_BACKGROUND = env_flag("MAIL_SEND_IN_BACKGROUND", True)
    # A failed attempt is retried after this many seconds, doubled on each failure (at most
    # MAIL_RETRY_MAX_SECONDS). Mail is never dropped: each failure is logged as an error.
    MAIL_RETRY_SECONDS = 30
    MAIL_RETRY_MAX_SECONDS = 3600
    # Password reset links work this long, once, and only until the password changes.
    PASSWORD_RESET_MAX_AGE = 3600
    # Reset requests per typed email, and per client address.
    PASSWORD_RESET_LIMIT = "3 per hour"
    PASSWORD_RESET_ADDRESS_LIMIT = "10 per hour"
    # "optional": new accounts get a link to confirm their email; "required": no posting
    # until it is confirmed; "off": no confirmation mail. (Needs mail, unless off.)
    EMAIL_CONFIRMATION = os.environ.get("EMAIL_CONFIRMATION", "{{ cookiecutter.email_confirmation }}")
    # The language of a reader who chose none and whose browser asks for none the site
    # speaks (i18n.LANGUAGES), and of mail, which is sent outside any reader's request.
    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "{{ cookiecutter.language }}")
    # Confirmation links (a new account's, a changed email's) work this long.
    EMAIL_CONFIRMATION_MAX_AGE = 3 * 24 * 3600
    # "Send again" of the confirmation mail, per account; email changes per account.
    CONFIRMATION_RESEND_LIMIT = "3 per hour"
    EMAIL_CHANGE_LIMIT = "3 per hour"


class DevelopmentConfig(Config):
    # For servers other than `flask run`, which sets debug from FLASK_DEBUG (in .env).
    DEBUG = True
    SECRET_KEY = Config.SECRET_KEY or "dev-only-not-secret"


class TestingConfig(Config):
    TESTING = True
    # The tests read the English pages, whatever the project's `language` answer.
    BABEL_DEFAULT_LOCALE = "en"
    SECRET_KEY = "testing-only-not-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Hashing at 4 rounds keeps the test suite fast; never use this in production.
    BCRYPT_LOG_ROUNDS = 4
    # Tests build their tables with create_all(); the migration tests check migrations.
    CHECK_MIGRATIONS = False
    WTF_CSRF_ENABLED = False
    # Limits stay on; each test's new app starts with empty in-memory counts.
    RATELIMIT_STORAGE_URI = "memory://"
    # The page cache stays on, in each test app's own memory (tests of Redis say so).
    CACHE_TYPE = "SimpleCache"
    # Mail is kept in memory (flask_mailman.outbox) unless a test names a server, and
    # sent when a test calls send_pending() unless it turns the sender thread on.
    MAIL_BACKEND = "locmem"
    MAIL_SEND_IN_BACKGROUND = False
    MAIL_RETRY_SECONDS = 0.2
    # The same for every answer to the email_confirmation prompt; tests of "required" say so.
    EMAIL_CONFIRMATION = "optional"


class ProductionConfig(Config):
    DEBUG = False
    # HTTPS only: cookies are never sent in clear, and browsers are told to stay on HTTPS.
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


EMAIL_CONFIRMATIONS = ("off", "optional", "required")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
