"""The number of SQL statements of one scan through the API, pinned so a regression fails CI.

Measured as in production: outside any transaction (`transaction=True` tests), with the
scanner's token, role and entrance already in the cache (after its first scans). On
PostgreSQL: the credential (one query), then one statement writing the check-in and its
scan log row (a data-modifying CTE), plus, when the badge was already admitted today, the
existing check-in and the scan log row: 2, 4 and 2 statements (issue 17: at most 4). An exit
is 2 statements (the check-out and its scan log row in one CTE), a re-entry 4.
SQLite has no data-modifying CTE: the check-in and the scan log row are two statements in a
transaction there (BEGIN and COMMIT count). docs/badges.md, "Hot path".
"""

import uuid

import pytest
from django.db import connection

from badges.models import CheckIn, Scan
from tests.factories.badges import CheckpointFactory, CredentialFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def scan(congress, checkin_staff, token_client):
    client = token_client(checkin_staff)
    url = f"/api/v1/congresses/{congress.slug}/checkins/"

    def post(token, **extra):
        return client.post(
            url, {"token": token, "scan_id": str(uuid.uuid4()), **extra}, format="json"
        )

    post(CredentialFactory(registration__congress=congress).token)  # creates the entrance
    post("y" * 22)  # caches the token's user, the role and the entrance
    return post


@pytest.mark.django_db(transaction=True)
def test_checkin_api_first_entry_statements(congress, scan, django_assert_num_queries):
    credential = CredentialFactory(registration__congress=congress)

    with django_assert_num_queries(2 if POSTGRES else 5):
        body = scan(credential.token).json()

    assert (body["result"], body["inside_now"]) == ("ok", 2)


@pytest.mark.django_db(transaction=True)
def test_checkin_api_repeat_entry_statements(congress, scan, django_assert_num_queries):
    credential = CredentialFactory(registration__congress=congress)
    first = scan(credential.token).json()

    with django_assert_num_queries(4 if POSTGRES else 6):
        body = scan(credential.token).json()

    assert (body["result"], body["inside_now"], body["first_checked_in_at"]) == (
        "already_checked_in",
        2,
        first["scanned_at"],
    )


@pytest.mark.django_db(transaction=True)
def test_checkin_api_unknown_token_statements(congress, scan, django_assert_num_queries):
    with django_assert_num_queries(2):
        body = scan("x" * 22).json()

    assert (body["result"], body["reason"]) == ("invalid", "unknown_token")


@pytest.mark.django_db(transaction=True)
def test_checkin_api_exit_statements(congress, scan, django_assert_num_queries):
    credential = CredentialFactory(registration__congress=congress)
    scan(credential.token)

    with django_assert_num_queries(2 if POSTGRES else 5):
        body = scan(credential.token, direction="exit").json()

    assert (body["result"], body["reason"], body["inside_now"]) == ("ok", "checked_out", 1)
    checkin = CheckIn.objects.get(credential=credential)
    assert checkin.checked_out_at.isoformat() == body["scanned_at"]
    assert Scan.objects.get(scan_id=body["scan_id"]).checkin_id == checkin.pk


@pytest.mark.django_db(transaction=True)
def test_checkin_api_second_exit_is_refused_as_already_checked_out(
    congress, scan, django_assert_num_queries
):
    credential = CredentialFactory(registration__congress=congress)
    scan(credential.token)
    first_exit = scan(credential.token, direction="exit").json()

    with django_assert_num_queries(4 if POSTGRES else 6):
        body = scan(credential.token, direction="exit").json()

    assert (body["result"], body["reason"], body["inside_now"]) == (
        "not_allowed",
        "already_checked_out",
        1,
    )
    checkin = CheckIn.objects.get(credential=credential)
    assert checkin.checked_out_at.isoformat() == first_exit["scanned_at"]


@pytest.mark.django_db(transaction=True)
def test_checkin_api_exit_without_entry_is_refused(congress, scan):
    credential = CredentialFactory(registration__congress=congress)

    body = scan(credential.token, direction="exit").json()

    assert (body["result"], body["reason"], body["inside_now"]) == (
        "not_allowed",
        "not_checked_in",
        1,
    )
    assert list(CheckIn.objects.filter(credential=credential)) == []
    assert Scan.objects.get(scan_id=body["scan_id"]).checkin_id is None


@pytest.mark.django_db(transaction=True)
def test_checkin_api_re_entry_after_exit_is_ok_again(congress, scan, django_assert_num_queries):
    credential = CredentialFactory(registration__congress=congress)
    first = scan(credential.token).json()
    scan(credential.token, direction="exit")

    with django_assert_num_queries(4 if POSTGRES else 9):
        body = scan(credential.token).json()

    assert (body["result"], body["reason"], body["inside_now"], body["first_checked_in_at"]) == (
        "ok",
        "re_entry",
        2,
        first["scanned_at"],
    )
    checkin = CheckIn.objects.get(credential=credential)
    assert checkin.checked_out_at is None
    assert Scan.objects.get(scan_id=body["scan_id"]).checkin_id == checkin.pk


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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("direction", ["entry", "exit", "re_entry", "repeat", "refused"])
def test_checkin_api_replay_causes_no_database_error(congress, scan, direction):
    """A replayed scan (the scanner resending after a lost answer) writes nothing and the
    database reports no error: on PostgreSQL an error is logged by the server with the
    statement's values (names), which we cannot filter there."""
    credential = CredentialFactory(registration__congress=congress)
    token = credential.token if direction != "refused" else "q" * 22
    if direction in ("exit", "re_entry"):
        scan(token)
    if direction == "re_entry":
        scan(token, direction="exit")
    if direction == "repeat":
        scan(token)
    scan_id = str(uuid.uuid4())
    first = scan(token, scan_id=scan_id, direction="exit" if direction == "exit" else "entry")
    errors = []

    def record_errors(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except Exception as error:
            errors.append(type(error).__name__)
            raise

    with connection.execute_wrapper(record_errors):
        again = scan(token, scan_id=scan_id, direction="exit" if direction == "exit" else "entry")

    assert errors == []
    assert (again.json()["replayed"], again.json()["result"], again.json()["reason"]) == (
        True,
        first.json()["result"],
        first.json()["reason"],
    )
    assert Scan.objects.filter(scan_id=scan_id).count() == 1
