import hashlib
import json

import sqlalchemy as sa
from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_login import current_user

from ..extensions import db, limiter
from ..models import IdempotencyKey, Message, Permission, User
from ..page_cache import cached_for_everyone
from ..pagination import paginate
from . import bp
from .auth import authentication_required
from .schemas import (
    ListHeaders,
    MessageListQuery,
    MessageOut,
    MessagePage,
    NewMessage,
    PostHeaders,
    UserOut,
)
from .spec import BEARER, NOT_JSON, answers, document, spec

# Reading takes a token or none; writing needs one.
TOKEN_OR_NONE = [{}, {BEARER: []}]
TOKEN = {BEARER: []}


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
        "edited_at": timestamp(message.edited_at) if message.edited_at else None,
        "parent_id": message.parent_id,
        "author": {"username": message.author_username},
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of every operation below, built from their declarations."""
    return document()


@bp.get("/docs")
def docs():
    """The document in Swagger UI, served from static/swagger-ui (no CDN)."""
    return render_template("api/docs.html")


@bp.get("/messages")
@cached_for_everyone  # outermost: it marks the function the route calls
@spec.validate(
    query=MessageListQuery,
    headers=ListHeaders,
    resp=answers({200: MessagePage, 304: None}, 400),
    operation_id="listMessages",
    tags=["messages"],
    security=TOKEN_OR_NONE,
)
def messages():
    """Newest first, a page at a time

    ?limit=, and ?before=<a page's "next"> for older messages or ?after=<a page's
    "prev"> for newer ones. Every page carries an ETag; a client that polls the newest
    page sends it back as If-None-Match and gets an empty 304 until a message is posted
    or deleted.
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
@spec.validate(
    resp=answers({200: MessageOut}, 404),
    operation_id="getMessage",
    tags=["messages"],
    security=TOKEN_OR_NONE,
)
def message(message_id):
    """One message"""
    return message_json(db.get_or_404(Message, message_id, description="No such message."))


@bp.post("/messages")
@spec.validate(
    json=NewMessage,
    headers=PostHeaders,
    resp=answers({201: MessageOut}, 400, 403, 404, 413, 422),
    operation_id="postMessage",
    tags=["messages"],
    security=TOKEN,
)
@authentication_required
@limit_writes
def post_message():
    """Post a message, or a reply

    Send an Idempotency-Key to retry safely after a dropped connection. A parent_id that
    names no message is a 404.
    """
    posted = request.context.json  # validated by spectree: a NewMessage
    if posted is None:  # spectree validates JSON bodies only: this one was a form
        abort(400, NOT_JSON)
    if current_user.needs_confirmation:
        abort(403, "Confirm your email to post: open the link mailed to you.")
    if not current_user.can(Permission.WRITE):
        abort(403, "You may not post messages.")
    key = request.context.headers.idempotency_key
    if key is not None and (earlier := IdempotencyKey.find(current_user.id, key)):
        return replay(earlier)
    parent_id = None
    if posted.parent_id is not None:
        parent = db.get_or_404(Message, posted.parent_id, description="No message to reply to.")
        parent_id = parent.conversation_id
    message = Message(body=posted.body.strip(), author_id=current_user.id, parent_id=parent_id)
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


def request_hash():
    return hashlib.sha256(request.get_data()).hexdigest()


def replay(earlier):
    """The first answer to this key, as it was sent; nothing is posted again."""
    if earlier.request_hash != request_hash():
        abort(422, "This Idempotency-Key was used for another request body: use a new key.")
    location = url_for(".message", message_id=earlier.message_id)
    answer = json.loads(earlier.response)
    return answer, 201, {"Location": location, "Idempotent-Replayed": "true"}


@bp.delete("/messages/<int:message_id>")
@spec.validate(
    resp=answers({204: None}, 403, 404),
    operation_id="deleteMessage",
    tags=["messages"],
    security=TOKEN,
)
@authentication_required
@limit_writes
def delete_message(message_id):
    """Delete a message (its author or a moderator)"""
    message = db.get_or_404(Message, message_id, description="No such message.")
    if not current_user.can_delete(message):
        abort(403, "Only the author or a moderator may delete this message.")
    db.session.delete(message)
    db.session.commit()
    return "", 204


@bp.get("/users/<username>")
@spec.validate(
    resp=answers({200: UserOut}, 404),
    operation_id="getUser",
    tags=["users"],
    security=TOKEN_OR_NONE,
)
def user(username):
    """A user's public profile (never the email)"""
    query = sa.select(User).filter_by(username=username)
    user = db.first_or_404(query, description="No such user.")
    return {
        "username": user.username,
        "role": user.role.name,
        "created_at": timestamp(user.created_at),
    }
