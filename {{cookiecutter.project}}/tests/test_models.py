import pytest
import sqlalchemy as sa

from {{ cookiecutter.package }}.extensions import NAMING_CONVENTION, db
from {{ cookiecutter.package }}.models import (
    AnonymousUser,
    Message,
    Permission,
    Role,
    User,
    utcnow,
)


def test_a_user_without_a_default_role_in_the_database_is_a_clear_error(app):
    """Not the enumeration-safe "cannot be used" of the registration form: a server fault."""
    with app.app_context():
        db.session.execute(sa.delete(Role))
        with pytest.raises(RuntimeError, match="no default role: run `flask db upgrade`"):
            User(username="alice", email="alice@example.com", password="x" * 15)


def test_new_user_gets_the_default_role(app, make_user):
    user = make_user()
    assert user.role.name == Role.DEFAULT
    with app.app_context():  # can() reads EMAIL_CONFIRMATION for unconfirmed users
        assert user.can(Permission.WRITE)
        assert not user.can(Permission.MODERATE)
        assert not user.is_administrator


def test_permissions_by_role(app, make_user):
    moderator = make_user("mod", role="Moderator")
    admin = make_user("admin", role="Administrator")
    with app.app_context():
        assert moderator.can(Permission.MODERATE) and not moderator.is_administrator
        assert admin.can(Permission.WRITE | Permission.MODERATE | Permission.ADMIN)
        assert admin.is_administrator


def test_anonymous_user_can_do_nothing():
    anonymous = AnonymousUser()
    assert not any(anonymous.can(permission) for permission in Permission)
    assert not anonymous.is_administrator
    assert not anonymous.can_delete(Message(body="hi", author_id=1))


def test_can_delete_own_messages_or_as_moderator(make_user):
    alice, bob, mod = make_user("alice"), make_user("bob"), make_user("mod", role="Moderator")
    message = Message(body="hi", author_id=alice.id)
    assert alice.can_delete(message)
    assert not bob.can_delete(message)
    assert mod.can_delete(message)


def test_password_is_hashed_and_write_only(app):
    with app.app_context():
        user = User(username="alice", email="alice@example.com")
        user.password = "correct horse battery staple"
        assert user.password_hash.startswith("$2b$")
        assert "correct" not in user.password_hash
        assert user.verify_password("correct horse battery staple")
        assert not user.verify_password("wrong horse battery staple")
        with pytest.raises(AttributeError):
            user.password  # noqa: B018


def test_password_over_72_bytes_does_not_verify(app):
    with app.app_context():
        user = User(username="alice", email="alice@example.com")
        user.password = "x" * 72
        assert user.verify_password("x" * 72)
        assert user.verify_password("x" * 73) is False
        assert user.verify_password("é" * 40) is False  # 80 bytes


def test_created_at_is_set_per_row(app, make_user):
    alice = make_user()
    with app.app_context():
        start = utcnow()
        first = Message(body="one", author_id=alice.id)
        db.session.add(first)
        db.session.commit()
        second = Message(body="two", author_id=alice.id)
        db.session.add(second)
        db.session.commit()
        # A callable default: each row gets the time it was inserted, not import time.
        assert Message.__table__.c.created_at.default.is_callable
        assert start <= first.created_at <= second.created_at <= utcnow()
        assert first.created_at.tzinfo is None


def test_deleting_a_user_deletes_their_messages(app, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        db.session.add_all(
            [Message(body="a", author_id=alice.id), Message(body="b", author_id=bob.id)]
        )
        db.session.commit()
        # In SQL, so the database's ON DELETE CASCADE does the work, not the ORM.
        db.session.execute(sa.delete(User).filter_by(id=alice.id))
        db.session.commit()
        bodies = db.session.scalars(sa.select(Message.body)).all()
        assert bodies == ["b"]


def test_deleting_a_user_in_the_orm_deletes_their_messages(app, make_user):
    alice = make_user()
    with app.app_context():
        db.session.add(Message(body="a", author_id=alice.id))
        db.session.commit()
        db.session.delete(db.session.get(User, alice.id))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0


def test_the_naming_convention_names_every_column_of_a_constraint():
    """Two unique constraints that share a first column must not share a name: PostgreSQL
    and MySQL refuse the second one."""
    table = sa.Table(
        "likes",
        sa.MetaData(naming_convention=NAMING_CONVENTION),
        sa.Column("user_id", sa.Integer),
        sa.Column("message_id", sa.Integer),
        sa.Column("kind", sa.String(10)),
        sa.UniqueConstraint("user_id", "message_id"),
        sa.UniqueConstraint("user_id", "kind"),
    )
    names = {constraint.name for constraint in table.constraints if constraint.name}
    assert {"uq_likes_user_id_message_id", "uq_likes_user_id_kind"} <= names
