"""The API's request and response shapes, as pydantic models.

They do two jobs: spectree validates requests against them (a bad body or query is a
400 that names the field), and builds /api/v1/openapi.json from them, so the document
cannot drift from what the views accept and answer.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from ..bad_input import MAX_ID
from ..models import IdempotencyKey, Message
from ..pagination import CURSOR_PATTERN

# Optional parameters are left out, never sent as null: SkipJsonSchema keeps None out
# of the document, where it would read as a value a client may send, and so does
# optional() for the default.
Omitted = SkipJsonSchema[None]


def optional(**field):
    return Field(None, json_schema_extra=lambda schema: schema.pop("default"), **field)


# A cursor as the list hands it out (pagination.py).
Cursor = Annotated[str, StringConstraints(pattern=CURSOR_PATTERN)]
# Printable ASCII without spaces, as a UUID is.
IdempotencyKeyText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=IdempotencyKey.KEY_MAX_LENGTH, pattern=r"^[!-~]+$"),
]


class Author(BaseModel):
    username: str


class MessageOut(BaseModel):
    id: int
    body: str
    created_at: datetime = Field(description="UTC, ISO 8601 with Z.")
    edited_at: datetime | None = Field(description="When the body last changed; null if never.")
    parent_id: int | None = Field(
        description="The message this one replies to; null for a message on the board."
    )
    author: Author


class MessagePage(BaseModel):
    messages: list[MessageOut] = Field(description="Newest first, replies included.")
    next: str | None = Field(
        description="Cursor of the next (older) page, for ?before=; null on the oldest page."
    )
    prev: str | None = Field(
        description="Cursor of the previous (newer) page, for ?after=; null on the newest."
    )


class MessageListQuery(BaseModel):
    limit: int | Omitted = optional(
        description="Messages per page; clamped to the server's maximum (default 20)."
    )
    before: Cursor | Omitted = optional(description="A page's `next`: the messages older.")
    after: Cursor | Omitted = optional(description="A page's `prev`: the messages newer.")


class ListHeaders(BaseModel):
    if_none_match: str | Omitted = optional(
        alias="If-None-Match",
        description="The ETag of a page read before: a 304 with no body while it is unchanged.",
    )


class NewMessage(BaseModel):
    # Anything but body (author, id, created_at ...) is refused, not ignored: a client
    # must never believe it set those.
    model_config = ConfigDict(extra="forbid")

    body: str = Field(
        min_length=1,
        max_length=Message.MAX_LENGTH,
        # Some text that is not whitespace (the stored body is stripped), and no NUL
        # character anywhere: no database stores it in text (bad_input.py refuses it).
        pattern=r"^[^\x00]*[^\x00\s][^\x00]*$",
    )
    parent_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(
        None,
        description=(
            "Reply to this message (null or left out: a message on the board). Replies "
            "are one level deep: a reply to a reply goes under the same message (the "
            "answer's parent_id says which)."
        ),
    )


class PostHeaders(BaseModel):
    idempotency_key: IdempotencyKeyText | Omitted = optional(
        alias="Idempotency-Key",
        description=(
            "Retry safely: the same key from the same user within a day returns the first "
            "answer (with Idempotent-Replayed: true) and posts nothing."
        ),
    )


class UserOut(BaseModel):
    username: str
    role: str
    created_at: datetime


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="bad_request, unauthorized, not_found, rate_limited ...")
    message: str = Field(description="A sentence for people: what is wrong, what to do.")


class Error(BaseModel):
    """The API's one error shape, for every status (errors.py sends it)."""

    error: ErrorDetail
