"""The OpenAPI document and request validation, both made by spectree from schemas.py.

Each view says what it takes and answers with @spec.validate(...); spectree checks the
request before the view runs and collects the same declarations into the document that
/api/v1/openapi.json serves (see routes.py).
"""

from functools import cache

from flask import abort, request
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from spectree.plugins.flask_plugin import FlaskPlugin

from .schemas import Error

BEARER = "bearer"
# The answer to a body that is not a JSON object (spectree reads JSON bodies only).
NOT_JSON = 'Send a JSON object such as {"body": "Hello"}, as application/json.'


class UncheckedResponses(FlaskPlugin):
    """Requests are validated; responses are documented but not re-checked on every
    call. Checking a page of messages against MessagePage took a third as long as the
    whole view; tests/test_api_contract.py checks every answer against the document."""

    def validate_response(self, resp, resp_model, skip_validation, force_resp_serialize):
        return super().validate_response(resp, resp_model, True, force_resp_serialize)


spec = SpecTree(
    "flask",
    backend=UncheckedResponses,
    title="Message board API",
    version="1",
    description=(
        "Messages and users of the board. Reading needs no token; writing needs "
        "`Authorization: Bearer <token>` (make one on the site's Tokens page). Every "
        'error is JSON: {"error": {"status", "code", "message"}}.'
    ),
    # Schemas named as in schemas.py (spectree's default adds a hash of the module).
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    # Only the views decorated with @spec.validate are in the document.
    mode="strict",
    # Bad input is the API's usual 400 (spectree's default is 422), in the shared shape.
    validation_error_status=400,
    validation_error_model=Error,
    # Spectree's own pages load Swagger UI from a CDN; /api/v1/docs serves a local copy.
    page_templates={},
    security_schemes=[
        SecurityScheme(name=BEARER, data=SecuritySchemeData(type="http", scheme="bearer"))
    ],
    before=lambda request_, response, error, instance, adapter: refuse_invalid(error, adapter),
)

# Sent by any operation: the bearer token is bad (401), too many requests (429), the
# server failed (500) or the database is unavailable (503).
COMMON_ERRORS = (401, 429, 500, 503)


def answers(successes, *errors):
    """spectree's Response for an operation: {status: model} for its successes (None
    for an empty body), and every error status it can send, COMMON_ERRORS included,
    with the shared Error schema."""
    codes = {status: Error for status in {*errors, *COMMON_ERRORS}} | successes
    return Response(**{f"HTTP_{status}": model for status, model in sorted(codes.items())})


def link(operation_id, **parameters):
    return {"operationId": operation_id, "parameters": parameters}


# OpenAPI links: where a client (or the contract tests' fuzzer) goes from an answer.
# spectree has no way to declare them, so they are added to its document by operationId.
LINKS = {
    "postMessage": {
        "201": {
            "getMessage": link("getMessage", message_id="$response.body#/id"),
            "deleteMessage": link("deleteMessage", message_id="$response.body#/id"),
            "getAuthor": link("getUser", username="$response.body#/author/username"),
        }
    },
    "getMessage": {
        "200": {"getAuthor": link("getUser", username="$response.body#/author/username")}
    },
}


@cache
def document():
    """The OpenAPI document: spectree's, built once from the views, with LINKS."""
    document = spec.spec
    for operations in document["paths"].values():
        for operation in operations.values():
            for status, links in LINKS.get(operation["operationId"], {}).items():
                operation["responses"][status]["links"] = links
    return document


def refuse_invalid(error, adapter):
    """Turn spectree's validation error into the API's 400 with a sentence that names
    the fields (errors.py gives it the shared shape)."""
    if error is None:
        return
    if request.method == "POST" and not isinstance(request.get_json(silent=True), dict):
        abort(400, NOT_JSON)
    # One sentence per field: its first problem (a union type reports one per branch).
    problems = {}
    for problem in adapter.validation_errors(error):
        field = str(problem["loc"][0]) if problem["loc"] else "body"
        problems.setdefault(field, f"{field}: {problem['msg']}")
    abort(400, "; ".join(problems.values()) + ".")
