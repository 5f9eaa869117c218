"""Input no column can store is a translated 400 and changes nothing (issue 17)."""

import pytest
from rest_framework.test import APIClient

from common.input import unstorable_reason
from members.models import Person
from registrations.models import Registration
from tests.factories.registrations import RegistrationCategoryFactory
from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db
SURROGATE = "Text may not contain unpaired surrogate characters."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"name": "Amal\x00"}, None),
        ({"answers": {"q1": ["ok", "bad\ud800"]}}, SURROGATE),
        ({"organisation": float("inf")}, "A number is too large."),
        ({"key\x00": 1}, "Text may not contain the NUL character."),
        ({"name": "Amal", "count": 3, "ratio": 0.5, "tags": ["a"], "none": None}, None),
    ],
)
def test_unstorable_reason_finds_what_no_column_stores(data, reason):
    assert unstorable_reason(data) == reason


def test_sessions_api_query_with_nul_is_400_for_anyone(api_client, congress):
    SessionFactory(congress=congress)

    response = api_client.get(f"/api/v1/congresses/{congress.slug}/sessions/?q=%00")

    assert (response.status_code, response.json()) == (
        400,
        {"code": "invalid_input", "detail": "Text may not contain the NUL character."},
    )


def test_registrations_api_query_with_nul_is_400(congress, organiser, token_client):
    response = token_client(organiser).get(
        f"/api/v1/congresses/{congress.slug}/registrations/?q=%00"
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_input")


def test_page_query_with_nul_is_400_translated(client, congress):
    response = client.get(f"/fr/congresses/{congress.slug}/programme/?q=a%00b")

    assert (response.status_code, response.content.decode()) == (
        400,
        "Le texte ne peut pas contenir le caractère NUL.",
    )


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            '{"category": "participant", "email": "a@example.org", "name": "A", '
            '"organisation": 1e400}',
            "A number is too large.",
        ),
        (
            '{"category": "participant", "email": "a@example.org", "name": "A\\ud800"}',
            "Text may not contain unpaired surrogate characters.",
        ),
    ],
)
def test_registration_with_unstorable_value_is_400_and_saves_nothing(congress, body, detail):
    RegistrationCategoryFactory(congress=congress, code="participant")

    response = APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        body,
        content_type="application/json",
    )

    assert (response.status_code, response.json()) == (400, {"detail": detail})
    assert (Registration.objects.count(), Person.objects.count()) == (0, 0)


def test_registration_with_nul_in_name_is_400_naming_the_field(congress):
    RegistrationCategoryFactory(congress=congress, code="participant")

    response = APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        '{"category": "participant", "email": "a@example.org", "name": "A\\u0000"}',
        content_type="application/json",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"name": ["Null characters are not allowed."]},
    )
    assert (Registration.objects.count(), Person.objects.count()) == (0, 0)
