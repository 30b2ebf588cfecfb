"""Configuration: engine options and pragmas fit the database in DATABASE_URL; the
development settings of .env.example run `flask run` with the debugger and the reloader."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from dotenv import dotenv_values
from flask.cli import ScriptInfo
from flask.helpers import get_debug_flag

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.config import Config, engine_options
from {{ cookiecutter.package }}.extensions import db


def server_config(url, **settings):
    """Config's settings (as read from the environment) with this database URL."""
    declared = {name: getattr(Config, name) for name in dir(Config) if name.isupper()}
    return {**declared, "SQLALCHEMY_DATABASE_URI": url, **settings}


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://u@db/app", "mysql+pymysql://u@db/app?charset=utf8mb4"]
)
def test_server_databases_get_pre_ping_recycle_and_the_pool_size_from_the_config(url):
    # MySQL closes connections idle for 8 hours; a stale pooled one would fail a request.
    assert engine_options(server_config(url)) == {
        "pool_pre_ping": True,
        "pool_recycle": 1800,
        "pool_size": 5,
        "max_overflow": 10,
    }
    options = engine_options(server_config(url, DATABASE_POOL_SIZE=20, DATABASE_MAX_OVERFLOW=0))
    assert (options["pool_size"], options["max_overflow"]) == (20, 0)


def test_sqlite_gets_no_pool_options_but_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    assert engine_options(server_config("sqlite:///app.db")) == {}
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fk.db'}")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()


def test_unknown_config_name_is_a_clear_error():
    with pytest.raises(RuntimeError, match="FLASK_CONFIG='staging' is not one of"):
        create_app("staging")


def test_the_development_env_file_turns_the_debugger_and_the_reloader_on(monkeypatch):
    """What `flask run` does with the .env the hook writes (from .env.example): load it,
    build the app, then set debug, the debugger and the reloader from FLASK_DEBUG."""
    example = dotenv_values(Path(__file__).resolve().parents[1] / ".env.example")
    assert example["FLASK_CONFIG"] == "development"
    for name, value in example.items():
        monkeypatch.setenv(name, value)
    # FLASK_CONFIG from the file; an in-memory database, not the project's own.
    info = ScriptInfo(create_app=lambda: create_app(SQLALCHEMY_DATABASE_URI="sqlite://"))
    app = info.load_app()
    assert app.debug and get_debug_flag()  # `flask run` starts both when the flag is on
    assert app.config["SECRET_KEY"] == "dev-only-not-secret"  # the development config
