import hashlib
import json
import re

import sqlalchemy as sa
from flask import abort, current_app, jsonify, request, url_for
from flask_login import current_user

from ..extensions import db, limiter
from ..models import IdempotencyKey, Message, Permission, User
from ..pagination import paginate
from . import bp
from .auth import authentication_required

# What a client may send when posting. Anything else (author, id, created_at ...) is
# refused, not ignored: a client must never believe it set those.
MESSAGE_FIELDS = {"body"}

# Printable ASCII without spaces, as a UUID or any client-made string is.
IDEMPOTENCY_KEY = re.compile(r"[!-~]+")


def write_limit():
    return current_app.config["API_WRITE_LIMIT"]


def user_key():
    return f"user:{current_user.id}"


# Posting and deleting share one count per user, by token and by session alike.
limit_writes = limiter.shared_limit(write_limit, scope="api-writes", key_func=user_key)


def timestamp(moment):
    """ISO 8601 with "Z": the database holds naive UTC (see models.utcnow)."""
    return moment.isoformat() + "Z"


def message_json(message):
    return {
        "id": message.id,
        "body": message.body,
        "created_at": timestamp(message.created_at),
        "author": {"username": message.author_username},
    }


@bp.get("/messages")
def messages():
    """Newest first, a page at a time: ?limit=, and ?before=<a page's "next"> for older
    messages or ?after=<a page's "prev"> for newer ones.

    Every page carries an ETag; a client that polls the newest page sends it back as
    If-None-Match and gets an empty 304 until a message is posted or deleted.
    """
    page = paginate()
    response = jsonify(
        messages=[message_json(m) for m in page.messages], next=page.older, prev=page.newer
    )
    # A digest of the body itself, so the tag changes with anything the page shows
    # (a new or deleted message, a renamed author) and nothing else has to remember it.
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/messages/<int:message_id>")
def message(message_id):
    return message_json(db.get_or_404(Message, message_id, description="No such message."))


@bp.post("/messages")
@authentication_required
@limit_writes
def post_message():
    if current_user.needs_confirmation:
        abort(403, "Confirm your email to post: open the link mailed to you.")
    if not current_user.can(Permission.WRITE):
        abort(403, "You may not post messages.")
    key = idempotency_key()
    if key is not None and (earlier := IdempotencyKey.find(current_user.id, key)):
        return replay(earlier)
    message = Message(body=message_body(request.get_json(silent=True)), author_id=current_user.id)
    db.session.add(message)
    db.session.flush()  # the id, for the answer
    answer = message_json(message)
    if key is not None:
        IdempotencyKey.forget_expired(current_user.id)
        db.session.add(
            IdempotencyKey(
                user_id=current_user.id,
                key=key,
                request_hash=request_hash(),
                message_id=message.id,
                response=json.dumps(answer),
            )
        )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # A concurrent duplicate committed the same key first: its message stands and
        # this one is rolled back with the key.
        db.session.rollback()
        if key is None or not (earlier := IdempotencyKey.find(current_user.id, key)):
            raise
        return replay(earlier)
    return answer, 201, {"Location": url_for(".message", message_id=message.id)}


def idempotency_key():
    """The request's Idempotency-Key header, None without one; a 400 if malformed."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (
        IDEMPOTENCY_KEY.fullmatch(key) and len(key) <= IdempotencyKey.KEY_MAX_LENGTH
    ):
        abort(
            400,
            "Idempotency-Key must be 1 to "
            f"{IdempotencyKey.KEY_MAX_LENGTH} printable ASCII characters, without spaces.",
        )
    return key


def request_hash():
    return hashlib.sha256(request.get_data()).hexdigest()


def replay(earlier):
    """The first answer to this key, as it was sent; nothing is posted again."""
    if earlier.request_hash != request_hash():
        abort(422, "This Idempotency-Key was used for another request body: use a new key.")
    location = url_for(".message", message_id=earlier.message_id)
    return json.loads(earlier.response), 201, {"Location": location, "Idempotent-Replayed": "true"}


def message_body(data):
    """The body of a posted {"body": "..."}, stripped; a 400 that says what is wrong."""
    if not isinstance(data, dict):
        abort(400, 'Send a JSON object such as {"body": "Hello"}, as application/json.')
    if unknown := sorted(data.keys() - MESSAGE_FIELDS):
        abort(400, f"Fields that cannot be set: {', '.join(unknown)}. Send only body.")
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        abort(400, "body must be a string with some text in it.")
    body = body.strip()
    if len(body) > Message.MAX_LENGTH:
        abort(400, f"body is longer than {Message.MAX_LENGTH} characters.")
    return body


@bp.delete("/messages/<int:message_id>")
@authentication_required
@limit_writes
def delete_message(message_id):
    message = db.get_or_404(Message, message_id, description="No such message.")
    if not current_user.can_delete(message):
        abort(403, "Only the author or a moderator may delete this message.")
    db.session.delete(message)
    db.session.commit()
    return "", 204


@bp.get("/users/<username>")
def user(username):
    # Never the email: the API is as public as the board's user pages.
    query = sa.select(User).filter_by(username=username)
    user = db.first_or_404(query, description="No such user.")
    return {
        "username": user.username,
        "role": user.role.name,
        "created_at": timestamp(user.created_at),
    }
