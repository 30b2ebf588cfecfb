"""An out-of-date database, or one a model no longer matches (a forgotten migration),
gets a clear page or JSON instead of a traceback; /healthz tells."""

import pytest
from alembic import command

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config, code_heads, describe_mismatch


def guarded_app(database_url):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, CHECK_MIGRATIONS=True)


@pytest.fixture
def app(database_url):
    """The guarded app on an empty database of each backend in turn."""
    app = guarded_app(database_url)
    with app.app_context():
        yield app
        db.session.remove()
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
    assert response.json["migrations"] == {
        "database": [],
        "code": heads,
        "at_head": False,
        "single_head": True,
    }
    assert response.json["schema"] is None  # not compared with the models until at head

    command.upgrade(alembic_config(), "heads")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "database": "ok",
        "migrations": {"database": heads, "code": heads, "at_head": True, "single_head": True},
        "schema": {"matches_models": True, "differences": []},
    }
    assert "Set-Cookie" not in response.headers


def forget_a_migration(column="created_at"):
    """What a model change without `flask db migrate` looks like from the database: a
    column the models have and the table lacks."""
    with db.engine.begin() as connection:
        connection.exec_driver_sql(f"ALTER TABLE users DROP COLUMN {column}")


def test_a_forgotten_migration_is_a_503_page_that_says_what_to_run(app):
    command.upgrade(alembic_config(), "heads")
    forget_a_migration()
    client = app.test_client()

    response = client.get("/u/admin")
    assert response.status_code == 503 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "column users.created_at: in the models, not in the database" in page
    assert "flask db migrate -m &#34;describe the change&#34;" in page
    assert "flask db upgrade" in page
    assert "Log in" not in page  # the page does not touch the users table

    api = client.get("/api/v1/messages")
    assert api.status_code == 503 and api.json["error"]["code"] == "unavailable"
    assert "users.created_at" in api.json["error"]["message"]

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["schema"] == {
        "matches_models": False,
        "differences": ["column users.created_at: in the models, not in the database"],
    }


def test_an_extra_column_in_the_database_is_named_too(app):
    command.upgrade(alembic_config(), "heads")
    with db.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE users ADD COLUMN nickname VARCHAR(40)")
    page = app.test_client().get("/").get_data(as_text=True)
    assert "column users.nickname: in the database, not in the models" in page


def test_the_guard_checks_again_until_the_schema_matches(app):
    """No restart needed after fixing the database (`flask db upgrade`, in development)."""
    command.upgrade(alembic_config(), "heads")
    forget_a_migration()
    client = app.test_client()
    assert client.get("/").status_code == 503
    with db.engine.begin() as connection:
        # The type does not matter to the guard: it compares tables and columns.
        connection.exec_driver_sql("ALTER TABLE users ADD COLUMN created_at VARCHAR(40)")
    assert client.get("/").status_code == 200


def test_healthz_is_503_for_several_heads(app, monkeypatch):
    """Even with the database at both: `flask db upgrade` refuses to run until a merge."""
    command.upgrade(alembic_config(), "heads")
    for name in ("code_heads", "database_revisions"):
        monkeypatch.setattr(f"{{ cookiecutter.package }}.migration_state.{name}", lambda: {"a1", "b2"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["migrations"]["single_head"] is False


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
