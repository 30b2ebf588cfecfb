"""Bulk demo data for `flask seed --demo N`: try the board at size.

Rows go in with Core `INSERT`s of many rows at once, bypassing the ORM's per-object
work, so a million messages take seconds rather than hours. Demo users share one
password hash made from a random password that is thrown away: they fill the board,
nobody can log in as them.
"""

import random
import secrets
from datetime import timedelta

import sqlalchemy as sa

from ..extensions import bcrypt, db
from ..models import Message, Role, User, username_key, utcnow
from ..rendering import render_markdown

BATCH = 20_000  # rows per INSERT batch and per commit
SPAN = timedelta(days=365)  # messages are spread over the year before now

FIRST_NAMES = ("ada", "ben", "chen", "elena", "fatima", "grace", "ivan", "jamal", "kofi", "lea")
FIRST_NAMES += ("lucas", "maria", "mateo", "mei", "nina", "olga", "omar", "priya", "rosa", "sam")
FIRST_NAMES += ("sara", "tariq", "tom", "wei", "yara", "yusuf", "zoe", "anna", "david", "julia")
WORDS = ("the", "a", "board", "message", "today", "thanks", "everyone", "new", "idea", "coffee")
WORDS += ("code", "release", "bug", "fix", "works", "great", "question", "anyone", "know", "how")
WORDS += ("why", "weekend", "plan", "team", "update", "shipped", "migration", "database", "test")
WORDS += ("review", "please", "help", "cool", "nice", "agreed", "later", "morning", "tomorrow")
WORDS += ("project", "version", "deploy", "server", "fast", "data", "page", "read", "write")
WORDS += ("think", "really", "good", "maybe", "sure", "done", "soon")


def demo_users(count):
    """`count` new users with unique usernames ("maria.4821") and .invalid emails."""
    role_id = db.session.scalar(sa.select(Role.id).filter_by(default=True))
    if role_id is None:
        raise RuntimeError("no default role: run `flask seed` first")
    password_hash = bcrypt.generate_password_hash(secrets.token_urlsafe(16)).decode()
    created, now = [], utcnow()
    while len(created) < count:
        wanted = {f"{random.choice(FIRST_NAMES)}.{random.randrange(10**6)}" for _ in range(count)}
        names = sorted(wanted - _taken(wanted) - set(created))[: count - len(created)]
        rows = [
            {
                "username": name,
                "username_key": username_key(name),  # bulk inserts skip the model's @validates
                # .invalid is reserved (RFC 2606): no mail can ever go there.
                "email": f"{name}@demo.invalid",
                "password_hash": password_hash,
                "role_id": role_id,
                "created_at": now - SPAN,
            }
            for name in names
        ]
        for start in range(0, len(rows), BATCH):
            db.session.execute(sa.insert(User), rows[start : start + BATCH])
        db.session.commit()
        created += names
    return list(db.session.scalars(sa.select(User.id).where(User.username.in_(created))))


def _taken(usernames):
    taken = set()
    names = sorted(usernames)
    for start in range(0, len(names), 1000):  # keep each IN (...) list short
        chunk = names[start : start + 1000]
        taken.update(db.session.scalars(sa.select(User.username).where(User.username.in_(chunk))))
    return taken


def demo_bodies(count=2000):
    """A pool of sentence-like bodies, each with its rendered HTML, as (body, body_html)
    (picking from a pool is far faster than composing and rendering a million). The
    INSERTs bypass Message's validator that renders the body: they set both columns."""
    bodies = []
    for _ in range(count):
        words = random.choices(WORDS, k=random.randint(3, 30))
        body = " ".join(words).capitalize() + random.choice(".!?")
        bodies.append((body, render_markdown(body)))
    return bodies


def load_demo_data(messages, users, progress=None):
    """Insert `users` demo users and `messages` messages by them, oldest first, evenly
    spread over the last year with ids in time order. `progress(n)` hears of each batch
    of n messages stored."""
    author_ids = demo_users(users)
    bodies = demo_bodies()
    start = utcnow() - SPAN
    step = SPAN / max(messages, 1)
    for first in range(0, messages, BATCH):
        rows = []
        for number in range(first, min(first + BATCH, messages)):
            body, body_html = random.choice(bodies)
            rows.append(
                {
                    "body": body,
                    "body_html": body_html,
                    "author_id": random.choice(author_ids),
                    "created_at": start + step * number,
                }
            )
        db.session.execute(sa.insert(Message), rows)
        db.session.commit()  # a stopped load keeps every finished batch
        if progress:
            progress(len(rows))
