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


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    # Connections each worker process keeps open to a server database, and how many more
    # it may open at a peak. Workers x (size + overflow) must stay under max_connections.
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "5"))
    DATABASE_MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW", "10"))
    MESSAGES_PER_PAGE = 20
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
    # Failed logins per account (email) and, separately, per client address.
    LOGIN_FAILURE_LIMIT = "5 per minute"
    # Registration attempts per client address.
    REGISTRATION_LIMIT = "5 per hour"
    # API writes (posting and deleting messages) per user, whether by token or session.
    API_WRITE_LIMIT = "60 per minute"


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = Config.SECRET_KEY or "dev-only-not-secret"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Hashing at 4 rounds keeps the test suite fast; never use this in production.
    BCRYPT_LOG_ROUNDS = 4
    # Tests build their tables with create_all(); the migration tests check migrations.
    CHECK_MIGRATIONS = False
    WTF_CSRF_ENABLED = False
    # Limits stay on; each test's new app starts with empty in-memory counts.
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    DEBUG = False
    # HTTPS only: cookies are never sent in clear, and browsers are told to stay on HTTPS.
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
