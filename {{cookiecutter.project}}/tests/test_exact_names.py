"""Emails and usernames compare exactly after the app's own normalisation, on every
database (MySQL's default collation ignores accents and case), and the database keeps
usernames unique ignoring case."""

import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import User

from .helpers import PASSWORD, add_user, log_in


def test_an_accented_email_is_another_account(any_app):
    add_user(any_app, "alice")
    client = any_app.test_client()
    response = log_in(client, "alic\u00eb@example.com", PASSWORD)
    assert response.status_code == 200  # "Invalid email or password."
    assert "Logged in as" not in client.get("/").get_data(as_text=True)
    assert log_in(client, "alice@example.com", PASSWORD).status_code == 302


def test_the_database_refuses_a_username_that_differs_only_in_case(any_app):
    add_user(any_app, "alice")
    with any_app.app_context():
        db.session.add(User(username="ALICE", email="other@example.com", password_hash="x"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
        # Exact comparison: "alicé" is another name (and the form's rules refuse it).
        assert db.session.scalar(sa.select(User).filter_by(username="alic\u00e9")) is None
