"""After `flask db upgrade`, a deleted row's id is never given to the next row (SQLite
reuses it unless the table has AUTOINCREMENT: migration 0004)."""

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
