"""The API contract: nullable fields declared, one error body on every operation (issue 17)."""

import pytest
import yaml

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return yaml.safe_load(Client().get("/api/schema/").content)


def test_session_room_and_track_and_submission_track_are_nullable(schema):
    components = schema["components"]["schemas"]

    assert [
        components["Session"]["properties"]["room"]["nullable"],
        components["Session"]["properties"]["track"]["nullable"],
        components["SubmissionStaff"]["properties"]["track"]["nullable"],
    ] == [True, True, True]


def test_every_operation_documents_its_errors_with_the_one_error_body(schema):
    error = {"$ref": "#/components/schemas/Error"}
    missing = [
        f"{method.upper()} {path} {code}"
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        for code in ("400", "404", "429", "503")
        if operation["responses"]
        .get(code, {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
        != error
    ]

    assert missing == []


def test_public_registration_post_documents_conflict_but_no_login(schema):
    responses = schema["paths"]["/api/v1/congresses/{slug}/registrations/"]["post"]["responses"]

    assert sorted(responses) == ["201", "400", "404", "409", "429", "503"]
