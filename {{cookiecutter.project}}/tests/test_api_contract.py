"""The API keeps the promises of its OpenAPI document, checked by a fuzzer.

/api/v1/openapi.json is built from the views' declarations (api/schemas.py). It must be
a valid OpenAPI document, and schemathesis, generating requests from it, must find no
server error and no answer (status, headers, body) that the document does not describe:
for each operation, with valid and with invalid input, and for chains of calls that
follow the document's links (post a message, read it, delete it). With a real token, on
SQLite, PostgreSQL and MySQL.
"""

import re
import uuid
from datetime import datetime

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis.stateful import run_state_machine_as_test
from openapi_spec_validator import validate
from schemathesis import GenerationMode

from {{ cookiecutter.package }} import create_app
from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.models import ApiToken, Message, User

from .helpers import add_messages, add_user, bearer
from .migrations.helpers import server_url_or_skip, throwaway_database

# Examples per operation: enough to reach every status, few enough for seconds.
EXAMPLES = 15
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the first request on a new database is slower than the rest
    # Each example is a real request to a real database: slower than Hypothesis expects.
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: a failure reproduces
)
WORKFLOWS = settings(FUZZ, max_examples=EXAMPLES, stateful_step_count=6)


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def api_app(request, make_app):
    """The app on each database in turn, with a user and a few messages."""
    if request.param == "sqlite":
        yield with_data(make_app())
        return
    with throwaway_database(server_url_or_skip(request.param)) as url:
        yield with_data(make_app(SQLALCHEMY_DATABASE_URI=url))


def with_data(app):
    # No write limit: the fuzzer posts faster than any person.
    app.config["API_WRITE_LIMIT"] = "10000/minute"
    add_messages(app, add_user(app, "alice"), 3)
    return app


@pytest.fixture
def token(api_app):
    """A real token of alice's, sent with every generated request."""
    with api_app.app_context():
        alice = db.session.scalar(sa.select(User).filter_by(username="alice"))
        _, secret = ApiToken.issue(alice, "fuzzer")
        db.session.commit()
    return secret


@pytest.fixture
def api_schema(api_app, token):
    """The document as schemathesis reads it, sending alice's token with every request."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)

    @schema.auth()
    class Bearer:
        def get(self, case, context):
            return token

        def set(self, case, token, context):
            case.headers = {**(case.headers or {}), **bearer(token)}

    return schema


def test_the_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_request_bodies_refuse_unknown_fields(client):
    new_message = client.get("/api/v1/openapi.json").json["components"]["schemas"]["NewMessage"]
    assert new_message["additionalProperties"] is False
    assert new_message["properties"]["body"]["maxLength"] == Message.MAX_LENGTH


@pytest.mark.parametrize(("body", "accepted"), [("hi", True), (" \n", False), ("a\x00b", False)])
def test_the_documented_body_rule_is_the_servers(app, client, body, accepted):
    """A body the server refuses (blank, or with a NUL, which no database stores) is one
    the document calls invalid, so the fuzzer never sends it as valid input."""
    new_message = client.get("/api/v1/openapi.json").json["components"]["schemas"]["NewMessage"]
    assert bool(re.search(new_message["properties"]["body"]["pattern"], body)) is accepted
    with app.app_context():
        _, secret = ApiToken.issue(db.session.merge(add_user(app)), "test")
        db.session.commit()
    response = client.post("/api/v1/messages", json={"body": body}, headers=bearer(secret))
    assert (response.status_code == 201) is accepted


def documented_operations():
    """(method, path, mode) for every operation in the document: valid examples for
    each, and invalid ones for each that takes input a client can get wrong."""
    document = create_app("testing").test_client().get("/api/v1/openapi.json").json
    cases = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            cases.append((method.upper(), path, GenerationMode.POSITIVE))
            if can_be_invalid(operation):
                cases.append((method.upper(), path, GenerationMode.NEGATIVE))
    return cases


def can_be_invalid(operation):
    # Any text is a valid username, for instance: an unknown one is a 404, not a 400.
    return "requestBody" in operation or any(
        parameter["schema"] != {"type": "string"} for parameter in operation["parameters"]
    )


@pytest.mark.parametrize(("method", "path", "mode"), documented_operations())
def test_every_operation_keeps_to_the_document(api_schema, method, path, mode):
    cases = api_schema[path][method].as_strategy(generation_mode=mode)
    if mode == GenerationMode.POSITIVE:
        cases = cases.filter(cursors_name_real_moments).map(with_a_fresh_idempotency_key)

    @FUZZ
    @given(case=cases)
    def check(case):
        case.call_and_validate()

    check()


def with_a_fresh_idempotency_key(case):
    """Hypothesis tries the same few keys again with other bodies: that is a 422 by design
    (test_idempotency.py has it). Valid examples keep a key's place, with a key of its own."""
    if "Idempotency-Key" in (case.headers or {}):
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    return case


def cursors_name_real_moments(case):
    """JSON Schema cannot say that 2026-02-30 is no date: valid examples leave out
    cursors that match the pattern but name no moment (test_api.py has them as 400s)."""
    for name in ("before", "after"):
        if cursor := (case.query or {}).get(name):
            try:
                datetime.fromisoformat(cursor.rpartition("_")[0])
            except ValueError:
                return False
    return True


def test_post_read_delete_workflows_keep_to_the_document(api_schema):
    """Chains of calls along the document's links, each answer checked as above. (The
    list is left out: its cursors need the filter above, and it is fuzzed there.)"""
    steps = []
    linked = api_schema.include(
        operation_id=["postMessage", "getMessage", "deleteMessage", "getUser"]
    )

    class Workflow(linked.as_state_machine()):
        def before_call(self, case):
            # A used Idempotency-Key replays its first answer, even once that message is
            # deleted (models.IdempotencyKey): the fuzzer would take the replay for a new
            # message that cannot be read. The operation tests above send keys.
            (case.headers or {}).pop("Idempotency-Key", None)

        def after_call(self, response, case):
            super().after_call(response, case)
            steps.append((case.method, case.path, response.status_code))

    run_state_machine_as_test(Workflow, settings=WORKFLOWS)
    # The links were followed: a posted message was read, and deleted.
    assert ("POST", "/api/v1/messages", 201) in steps
    assert ("GET", "/api/v1/messages/{message_id}", 200) in steps
    assert ("DELETE", "/api/v1/messages/{message_id}", 204) in steps
