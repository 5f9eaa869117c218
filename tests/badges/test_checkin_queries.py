"""The number of SQL statements of one scan through the API, pinned so a regression fails CI.

The scan's transaction counts as two statements: SAVEPOINT and RELEASE SAVEPOINT here,
inside the test's transaction; BEGIN and COMMIT in production (Django logs both), so the
counts are the same as on a server. Statements: token authentication; entrance checkpoint
+ congress + role check (one query); credential with registration, person, organisation
and category (one query); then the check-in write(s), the scan log row, and the inside-now
count.
"""

import uuid

import pytest

from badges.models import CheckIn, Scan
from tests.factories.badges import CheckpointFactory, CredentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scan(congress, checkin_staff, token_client):
    client = token_client(checkin_staff)
    url = f"/api/v1/congresses/{congress.slug}/checkins/"

    def post(token, **extra):
        return client.post(url, {"token": token, **extra}, format="json")

    post(CredentialFactory(registration__congress=congress).token)  # creates the entrance
    return post


def test_checkin_api_first_entry_takes_eight_queries(congress, scan, django_assert_num_queries):
    credential = CredentialFactory(registration__congress=congress)

    with django_assert_num_queries(8):
        body = scan(credential.token).json()

    assert (body["result"], body["inside_now"]) == ("ok", 2)


def test_checkin_api_repeat_entry_takes_nine_queries(congress, scan, django_assert_num_queries):
    credential = CredentialFactory(registration__congress=congress)
    scan(credential.token)

    with django_assert_num_queries(9):
        body = scan(credential.token).json()

    assert (body["result"], body["inside_now"]) == ("already_checked_in", 2)


def test_checkin_api_exit_takes_nine_queries(congress, scan, django_assert_num_queries):
    credential = CredentialFactory(registration__congress=congress)
    scan(credential.token)

    with django_assert_num_queries(9):
        body = scan(credential.token, direction="exit").json()

    assert (body["result"], body["reason"], body["inside_now"]) == ("ok", "checked_out", 1)


def test_checkin_api_unknown_token_takes_seven_queries(congress, scan, django_assert_num_queries):
    with django_assert_num_queries(7):
        body = scan("x" * 22).json()

    assert (body["result"], body["reason"]) == ("invalid", "unknown_token")


def test_checkin_api_replayed_scan_id_returns_first_outcome_unchanged(congress, scan):
    credential = CredentialFactory(registration__congress=congress)
    scan_id = str(uuid.uuid4())
    first = scan(credential.token, scan_id=scan_id).json()

    again = scan(credential.token, scan_id=scan_id).json()

    assert (first["result"], first["replayed"]) == ("ok", False)
    assert (again["result"], again["replayed"], again["scanned_at"]) == (
        "ok",
        True,
        first["scanned_at"],
    )
    assert Scan.objects.filter(credential=credential).count() == 1
    assert CheckIn.objects.filter(credential=credential).count() == 1


def test_checkin_api_staff_of_other_congress_with_entrance_is_refused(
    congress, other_congress, checkin_staff, token_client
):
    CheckpointFactory(congress=other_congress, kind="entrance", name="Entrance")
    credential = CredentialFactory(registration__congress=other_congress)

    response = token_client(checkin_staff).post(
        f"/api/v1/congresses/{other_congress.slug}/checkins/",
        {"token": credential.token},
        format="json",
    )

    assert response.status_code == 403
    assert list(CheckIn.objects.all()) == []


def test_checkin_api_unknown_congress_is_not_found(checkin_staff, token_client):
    response = token_client(checkin_staff).post(
        "/api/v1/congresses/no-such-congress/checkins/", {"token": "x" * 22}, format="json"
    )

    assert response.status_code == 404
    assert list(Scan.objects.all()) == []
