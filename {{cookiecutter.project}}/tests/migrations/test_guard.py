"""An out-of-date database gets a clear message instead of a traceback; /healthz tells."""

import pytest
from alembic import command

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config, code_heads, describe_mismatch


def guarded_app(database_url):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, CHECK_MIGRATIONS=True)


@pytest.fixture
def app(tmp_path):
    app = guarded_app(f"sqlite:///{tmp_path / 'guard.db'}")
    with app.app_context():
        yield app
        db.engine.dispose()


def test_pages_are_refused_with_what_to_run_until_the_database_is_upgraded(app):
    client = app.test_client()
    heads = code_heads()

    response = client.get("/")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "at revision (empty)" in text and f"expects {', '.join(sorted(heads))}" in text
    assert "flask db upgrade" in text

    command.upgrade(alembic_config(), "heads")
    assert client.get("/").status_code == 200


def test_healthz_reports_the_migration_status_without_a_cookie(app):
    client = app.test_client()
    heads = sorted(code_heads())

    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["migrations"] == {"database": [], "code": heads, "at_head": False}

    command.upgrade(alembic_config(), "heads")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "database": "ok",
        "migrations": {"database": heads, "code": heads, "at_head": True},
    }
    assert "Set-Cookie" not in response.headers


def test_unreachable_database_is_a_503_not_a_traceback(tmp_path):
    app = guarded_app(f"sqlite:///{tmp_path / 'missing-folder' / 'app.db'}")
    client = app.test_client()
    assert client.get("/healthz").json == {"database": "unreachable", "migrations": None}
    response = client.get("/")
    assert response.status_code == 503
    assert "unreachable" in response.get_data(as_text=True)


def test_several_heads_are_compared_as_sets_and_the_message_says_merge():
    message = describe_mismatch({"a1"}, {"b2", "c3"})
    assert "at revision a1" in message and "expects b2, c3" in message
    assert "flask db merge heads" in message
    assert "merge" not in describe_mismatch({"a1"}, {"b2"})
