"""Database models: roles with permission bits, users, their messages and API tokens.

Every change here needs a migration: `flask db migrate -m "what changed"`, review
the new file in migrations/versions/, then `flask db upgrade`.
"""

import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import datetime, timedelta, timezone
from enum import IntFlag

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, validates

from .extensions import bcrypt, db, login_manager
from .rendering import render_markdown


class Permission(IntFlag):
    WRITE = 1
    MODERATE = 2
    ADMIN = 4


def utcnow():
    """The current time in UTC, without tzinfo.

    SQLite and MySQL drop timezone offsets without converting, so every database
    stores naive UTC and the app treats every timestamp it reads as UTC.
    """
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Role(db.Model):
    __tablename__ = "roles"

    # Role name -> permissions: what migrations/versions/0003_roles.py puts in the table.
    # Change both together (README: "Reference data"); a migration test compares them.
    PERMISSIONS = {
        "User": Permission.WRITE,
        "Moderator": Permission.WRITE | Permission.MODERATE,
        "Administrator": Permission.WRITE | Permission.MODERATE | Permission.ADMIN,
    }
    DEFAULT = "User"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    default: Mapped[bool] = mapped_column(default=False, server_default=sa.false(), index=True)
    permissions: Mapped[int] = mapped_column(default=0, server_default="0")

    users: Mapped[list["User"]] = relationship(back_populates="role")

    def has_permission(self, permission):
        return self.permissions & permission == permission

    def __repr__(self):
        return f"<Role {self.name}>"


def exact_string(length):
    """A String the database compares exactly, as the app normalised it, on every backend.

    MySQL's default collation (utf8mb4_unicode_ci) ignores case and accents: a lookup of
    alicë@example.com would find alice@example.com. utf8mb4_bin compares code points, as
    SQLite and PostgreSQL do (migration 0004).
    """
    return sa.String(length).with_variant(
        mysql.VARCHAR(length, collation="utf8mb4_bin"), "mysql", "mariadb"
    )


def username_key(username):
    """What makes two usernames the same name: "Alice" and "alice" are one."""
    return username.casefold() if username else username


def normalize_username(value):
    """A username as typed, in NFKC form: fullwidth "ａｄｍｉｎ" and other compatibility
    look-alikes become the ASCII they show, so the rules and the "taken" check see
    "admin". Nothing is stripped: "admin\n" stays, and fails the pattern."""
    return unicodedata.normalize("NFKC", value) if value else value


def normalize_email(value):
    """An email as the app stores and compares it: stripped and lowercased."""
    return value.strip().lower() if value else value


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # SQLite would otherwise give a deleted user's id to the next one (migration 0004).
    __table_args__ = {"sqlite_autoincrement": True}

    # The rules for these fields, used by the forms, `flask users` and the API.
    USERNAME_MIN_LENGTH = 3
    USERNAME_MAX_LENGTH = 64
    # Checked with fullmatch() (a `$` with re.match would accept a final newline). ASCII
    # only: Cyrillic or Greek look-alikes of an existing name cannot be registered.
    USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
    USERNAME_RULE = _l("letters, digits, underscores, hyphens and dots")
    # 191 characters is the longest utf8mb4 string older MySQL row formats can index.
    EMAIL_MAX_LENGTH = 191
    ABOUT_MAX_LENGTH = 500

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(
        exact_string(USERNAME_MAX_LENGTH), unique=True, index=True
    )
    # username_key(username), set with it: the database itself keeps names unique
    # ignoring case, on every backend, even for two registrations at the same moment.
    username_key: Mapped[str] = mapped_column(exact_string(USERNAME_MAX_LENGTH), unique=True)
    email: Mapped[str] = mapped_column(exact_string(EMAIL_MAX_LENGTH), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session id (get_id): "log out of every device" adds one, which ends
    # every session and remember-me cookie made before.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the owner followed the confirmation link mailed to this address (None: not yet).
    email_confirmed_at: Mapped[datetime | None]
    # The language the owner picked in the footer (a key of i18n.LANGUAGES); None: none
    # picked, the browser's Accept-Language decides.
    language: Mapped[str | None] = mapped_column(sa.String(16))
    # A few lines the owner writes about themselves, shown as plain text on their page.
    about: Mapped[str | None] = mapped_column(sa.String(ABOUT_MAX_LENGTH))

    # Joined: every permission check needs the role, so load it with the user.
    role: Mapped[Role] = relationship(back_populates="users", lazy="joined")
    # A user's messages go with the user (ON DELETE CASCADE in the database too):
    # what someone wrote is theirs, and a board of "[deleted]" posts helps nobody.
    messages: Mapped[list["Message"]] = relationship(
        back_populates="author", cascade="all, delete-orphan", passive_deletes=True
    )
    api_tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.role is None:
            self.role = db.session.scalar(sa.select(Role).filter_by(default=True))
        if self.role is None:
            # Not a user's mistake: say what is wrong instead of failing at the INSERT.
            raise RuntimeError("the roles table has no default role: run `flask db upgrade`")

    @validates("username")
    def _set_username_key(self, _key, username):
        self.username_key = username_key(username)
        return username

    @property
    def password(self):
        raise AttributeError("password is write-only; use verify_password()")

    @password.setter
    def password(self, password):
        rounds = current_app.config["BCRYPT_LOG_ROUNDS"]  # read now: see password_needs_rehash
        self.password_hash = bcrypt.generate_password_hash(password, rounds).decode()

    def verify_password(self, password):
        try:
            return bcrypt.check_password_hash(self.password_hash, password)
        except ValueError:  # bcrypt rejects passwords over 72 bytes: a wrong password.
            return False

    def password_needs_rehash(self):
        """True when the hash was made at a lower bcrypt cost than BCRYPT_LOG_ROUNDS: the
        cost was raised since, or the account was seeded with a cheap hash (see seed())."""
        cost = int(self.password_hash.split("$")[2])  # "$2b$12$..." -> 12
        return cost < current_app.config["BCRYPT_LOG_ROUNDS"]

    def get_id(self):
        """The id Flask-Login keeps in the session and the remember-me cookie: "<id>:<fragment>".

        The fragment changes with the password hash and with session_generation, so
        changing the password, or logging out of every device, ends every other session
        and remember-me cookie (load_user refuses ids with an old fragment).
        """
        return f"{self.id}:{self.session_fragment()}"

    def session_fragment(self):
        key = current_app.config["SECRET_KEY"].encode()
        state = f"{self.session_generation or 0}:{self.password_hash}".encode()
        return hmac.new(key, state, hashlib.sha256).hexdigest()[-16:]

    def end_every_session(self):
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def needs_confirmation(self):
        """True when EMAIL_CONFIRMATION is "required" and this email is not confirmed."""
        if self.email_confirmed_at is not None:
            return False
        return current_app.config["EMAIL_CONFIRMATION"] == "required"

    def can(self, permission):
        if permission & Permission.WRITE and self.needs_confirmation:
            return False  # base.html says why, with a "send again" button
        return self.role is not None and self.role.has_permission(permission)

    def can_delete(self, message):
        return message.author_id == self.id or self.can(Permission.MODERATE)

    def can_edit(self, message, now=None):
        """Moderators edit any message; authors their own, for MESSAGE_EDIT_MINUTES after
        posting (a conversation is not rewritten under its replies' feet)."""
        if self.can(Permission.MODERATE):
            return True
        window = timedelta(minutes=current_app.config["MESSAGE_EDIT_MINUTES"])
        mine = message.author_id == self.id and self.can(Permission.WRITE)
        return mine and (now or utcnow()) - message.created_at <= window

    @property
    def is_administrator(self):
        return self.can(Permission.ADMIN)

    def is_last_administrator(self):
        """True when no other administrator would be left without this one.

        Locks the administrator roles' rows, then every administrator's (SELECT ... FOR
        UPDATE), until the transaction ends: call it just before changing or deleting this
        user, then commit. Two demotions at once are then taken in turn: the second waits
        on the role's row, then reads the first's result. (Locking the users alone lets
        InnoDB's range locks deadlock the two. SQLite has no row locks: it lets only one
        writer in at a time.)
        """
        admin_roles = [
            role.id
            for role in db.session.scalars(sa.select(Role))
            if role.has_permission(Permission.ADMIN)
        ]
        db.session.scalars(
            sa.select(Role.id).where(Role.id.in_(admin_roles)).order_by(Role.id).with_for_update()
        ).all()
        administrators = db.session.scalars(
            sa.select(User.id)
            .where(User.role_id.in_(admin_roles))
            .order_by(User.id)
            # A locking read sees the latest commit (MySQL's plain reads keep the snapshot
            # the transaction started with).
            .with_for_update()
        ).all()
        return administrators == [self.id]

    def __repr__(self):
        return f"<User {self.username}>"


class AnonymousUser(AnonymousUserMixin):
    def can(self, permission):
        return False

    def can_delete(self, message):
        return False

    def can_edit(self, message, now=None):
        return False

    @property
    def is_administrator(self):
        return False


login_manager.anonymous_user = AnonymousUser


@login_manager.user_loader
def load_user(user_id):
    user_key, _, fragment = user_id.partition(":")
    if not user_key.isdigit():
        return None
    user = db.session.get(User, int(user_key))
    if user is None or not hmac.compare_digest(fragment, user.session_fragment()):
        return None  # the password changed since this session or cookie was made
    return user


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (
        # The API lists every message newest first by (created_at, id) ...
        sa.Index("ix_messages_created_at_id", "created_at", "id"),
        # ... a user's page does the same within one author ...
        sa.Index("ix_messages_author_id_created_at_id", "author_id", "created_at", "id"),
        # ... and the board within one parent: its own messages are those whose
        # parent_id IS NULL, and a message's replies those with its id (revision 0011).
        sa.Index("ix_messages_parent_id_created_at_id", "parent_id", "created_at", "id"),
        # SQLite would otherwise give a deleted message's id to the next one (migration 0004).
        {"sqlite_autoincrement": True},
    )

    MAX_LENGTH = 1000

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(sa.String(MAX_LENGTH))  # Markdown, as written
    # body rendered and sanitized (rendering.py), set with body: pages never render.
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the body last changed (None: never edited); pages show it as "edited".
    edited_at: Mapped[datetime | None]
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The message this one replies to (None: a message on the board). Replies are one
    # level deep: a reply's parent is never itself a reply. They go with their message,
    # deleted by the database (ON DELETE CASCADE), so no ORM relationship is needed.
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"))

    author: Mapped[User] = relationship(back_populates="messages")

    @property
    def conversation_id(self):
        """Where a reply to this message goes: under it, or, for a reply, under the
        message it replies to (one level deep)."""
        return self.parent_id or self.id

    @validates("body")
    def _render_body(self, _key, body):
        self.body_html = render_markdown(body)
        return body

    @property
    def author_username(self):
        # Pages read messages as rows with this column (pagination.py): one name
        # for both, so templates and the API take either.
        return self.author.username

    def __repr__(self):
        return f"<Message {self.id} by {self.author_id}>"


class ApiToken(db.Model):
    """A personal API token: `Authorization: Bearer <token>` acts as its user under /api/.

    Only a hash of the token is stored. The token itself is shown once, when it is made;
    revoking a token deletes its row.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        # "Revoke laptop" names one token. The index also finds a user's tokens.
        sa.UniqueConstraint("user_id", "name", name="uq_api_tokens_user_id_name"),
        {"sqlite_autoincrement": True},  # ids are never reused (migration 0004)
    )

    # Recognisable in a config file or a leaked log, also by secret scanners.
    PREFIX = "mbt_"
    SHAPE = re.compile(re.escape(PREFIX) + r"[A-Za-z0-9_-]{43}")  # + token_urlsafe(32)
    # API requests record when a token was last used at most this often, so that reads
    # do not write on every request.
    LAST_USED_PRECISION = timedelta(hours=1)
    NAME_MAX_LENGTH = 64

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX_LENGTH))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="api_tokens")

    @classmethod
    def issue(cls, user, name):
        """A new token for `user`, added to the session: (the ApiToken, the token itself)."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls(user_id=user.id, name=name, token_hash=cls.hash(secret))
        db.session.add(token)
        return token, secret

    @staticmethod
    def hash(secret):
        # SHA-256, not bcrypt: a token is 256 random bits, not a password a person chose,
        # so there is nothing to guess that a slow hash would protect, and a fast one lets
        # every API request find its token by the hash.
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def named(cls, user, name):
        """`user`'s token called `name`, in any case (as MySQL compares them), or None."""
        query = sa.select(cls).filter_by(user_id=user.id)
        return db.session.scalar(query.where(sa.func.lower(cls.name) == name.lower()))

    @classmethod
    def find(cls, secret):
        """The token (with its user and role) for a token as sent, or None."""
        if not cls.SHAPE.fullmatch(secret):
            return None
        query = sa.select(cls).options(joinedload(cls.user)).filter_by(token_hash=cls.hash(secret))
        return db.session.scalar(query)

    def record_use(self):
        """Set last_used_at if it is older than LAST_USED_PRECISION; True if it changed."""
        now = utcnow()
        if self.last_used_at is not None and now - self.last_used_at < self.LAST_USED_PRECISION:
            return False
        self.last_used_at = now
        return True

    def __repr__(self):
        return f"<ApiToken {self.name!r} of {self.user_id}>"


class OutgoingMail(db.Model):
    """A mail waiting to be sent (mail.py): the outbox survives restarts and mail server
    outages. The row says what to send; the mail is built from templates when it is sent."""

    __tablename__ = "mail_outbox"

    KIND_MAX_LENGTH = 32

    id: Mapped[int] = mapped_column(primary_key=True)
    # Which mail: a name registered with mail.builder(), such as "password_reset".
    kind: Mapped[str] = mapped_column(sa.String(KIND_MAX_LENGTH))
    recipient: Mapped[str] = mapped_column(sa.String(User.EMAIL_MAX_LENGTH))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # The site's address as the request that queued the mail saw it, for the links.
    site_url: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Senders take rows whose time has come, and move it on while they send (mail.py).
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(sa.String(255))

    def __repr__(self):
        return f"<OutgoingMail {self.id} {self.kind} to {self.recipient}>"


class IdempotencyKey(db.Model):
    """The first answer to a `POST /api/v1/messages` sent with an `Idempotency-Key` header.

    A client whose connection dropped cannot know whether its post was saved; it retries
    with the same key and gets this answer back instead of a second message. The unique
    (user_id, key) lets only one of two concurrent duplicates commit.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_id_key"),
    )

    KEY_MAX_LENGTH = 128  # a UUID is 36; 128 keeps (user_id, key) indexable on MySQL
    LIFETIME = timedelta(days=1)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(exact_string(KEY_MAX_LENGTH))
    # SHA-256 of the request body: the same key with another body is a client bug.
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    message_id: Mapped[int]  # no foreign key: the answer stays after the message goes
    response: Mapped[str] = mapped_column(sa.Text)  # the JSON of the first answer
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def find(cls, user_id, key):
        """The user's answer for `key` from the last LIFETIME, or None."""
        query = sa.select(cls).filter_by(user_id=user_id, key=key)
        return db.session.scalar(query.where(cls.created_at > utcnow() - cls.LIFETIME))

    @classmethod
    def forget_expired(cls, user_id):
        """Delete the user's keys older than LIFETIME, so that a key can be used again."""
        cutoff = utcnow() - cls.LIFETIME
        db.session.execute(
            sa.delete(cls).filter_by(user_id=user_id).where(cls.created_at <= cutoff)
        )


class BoardVersion(db.Model):
    """One row holding one number, which goes up in the same transaction as any change
    that the board's pages show (page_cache.py). Pages are cached under it: a cached page
    is never older than the data, on any worker or machine that shares the database."""

    __tablename__ = "board_version"

    ROW_ID = 1  # the one row, written by revision 0012

    # Not autoincrement: PostgreSQL would make a sequence that knows nothing of row 1.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)
