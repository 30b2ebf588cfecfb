"""Migration 0004 on every backend: a deleted row's id is never given to the next row
(SQLite reuses it without AUTOINCREMENT), and usernames that differ only in case, made
before it, survive it."""

import sqlalchemy as sa
from alembic import command

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import alembic_config
from {{ cookiecutter.package }}.models import Message, User


def test_a_deleted_messages_id_is_not_reused(app):
    command.upgrade(alembic_config(), "heads")
    author = User(username="alice", email="alice@example.com", password_hash="x")
    db.session.add(author)
    db.session.flush()
    first, last = Message(body="1", author_id=author.id), Message(body="2", author_id=author.id)
    db.session.add_all([first, last])
    db.session.commit()
    deleted_id = last.id
    db.session.execute(sa.delete(Message).filter_by(id=deleted_id))
    db.session.commit()
    new = Message(body="3", author_id=author.id)
    db.session.add(new)
    db.session.commit()
    assert new.id > deleted_id


def test_usernames_that_collide_ignoring_case_survive_the_upgrade(app):
    command.upgrade(alembic_config(), "0003")
    role_id = db.session.scalar(sa.text("SELECT id FROM roles WHERE name = 'User'"))
    # Before 0004, MySQL's case-insensitive collation already refused the variants.
    names = ["bob"] if db.engine.dialect.name == "mysql" else ["bob", "Bob", "BOB"]
    for number, name in enumerate(names):
        db.session.execute(
            sa.text(
                "INSERT INTO users (username, email, password_hash, role_id, created_at) "
                "VALUES (:name, :email, 'x', :role, CURRENT_TIMESTAMP)"
            ),
            {"name": name, "email": f"bob{number}@example.com", "role": role_id},
        )
    db.session.commit()
    command.upgrade(alembic_config(), "heads")
    keys = db.session.execute(sa.text("SELECT username, username_key FROM users ORDER BY id"))
    rows = keys.all()
    assert [row[0] for row in rows] == names
    assert rows[0][1] == "bob" and len({row[1] for row in rows}) == len(names)
