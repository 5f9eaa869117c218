import io

import pytest
from defusedcsv import csv
from openpyxl import load_workbook

from badges.models import Checkpoint
from congress.models import AuditEvent
from sessions.models import Session
from tests.factories.attendance import at, scan, session_door
from tests.factories.badges import CheckpointFactory
from tests.factories.congress import TrackFactory
from tests.factories.members import OrganisationFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionSignupFactory

pytestmark = pytest.mark.django_db


def url(congress, query=""):
    return f"/api/v1/congresses/{congress.slug}/reports/attendance/{query}"


@pytest.fixture
def small_congress(congress):
    organisation = OrganisationFactory(name="Coalition tunisienne")
    track = TrackFactory(congress=congress, slug="drug-policy", name="Drug policy")
    door = session_door(
        congress, at(9), at(10, 30), track=track, kind=Session.Kind.TRAINING, title="Training A"
    )
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    alice = RegistrationFactory(
        congress=congress, person__organisation=organisation, person__country="TN"
    )
    bob = RegistrationFactory(congress=congress, person__country="TN", category=alice.category)
    SessionSignupFactory(session=door.session, registration=alice)
    SessionSignupFactory(session=door.session, registration=bob)
    scan(alice, entrance, at(8))
    scan(alice, door, at(9))
    return congress


def test_attendance_csv_parses_back_to_the_figures(token_client, organiser, small_congress):
    response = token_client(organiser).get(url(small_congress, "?format=csv"))

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    by_section = {(row["section"], row["key"]): row for row in rows}
    assert by_section["total", "all"]["registered_on_site"] == "2"
    assert by_section["total", "all"]["checked_in"] == "1"
    assert by_section["day", "2027-06-15"]["checked_in"] == "1"
    assert (
        by_section["country", "TN"]["registered_on_site"],
        by_section["country", "TN"]["checked_in"],
    ) == (
        "2",
        "1",
    )
    session = next(row for row in rows if row["section"] == "session")
    assert (
        session["label"],
        session["signed_up"],
        session["attended"],
        session["no_show_rate"],
    ) == (
        "Training A",
        "2",
        "1",
        "0.500",
    )
    track = by_section["track", "drug-policy"]
    assert (track["people_trained"], track["training_hours"]) == ("1", "1.50")


def test_attendance_xlsx_has_a_sheet_per_section(token_client, organiser, small_congress):
    response = token_client(organiser).get(url(small_congress, "?format=xlsx"))

    workbook = load_workbook(io.BytesIO(response.getvalue()), read_only=True)
    assert workbook.sheetnames == [
        "total",
        "day",
        "category",
        "country",
        "organisation",
        "session",
        "track",
    ]
    rows = list(workbook["organisation"].iter_rows(values_only=True))
    assert [(row[2], row[3], row[4], row[5]) for row in rows[1:]] == [
        ("Coalition tunisienne", 1, 0, 1),
        ("None", 1, 0, 0),
    ]


def test_people_xlsx_drops_a_control_character_pasted_into_a_name(
    token_client, organiser, small_congress
):
    # Names come from the public registration form, which keeps a pasted vertical tab; a
    # worksheet cannot hold one, and the whole export used to fail.
    registration = RegistrationFactory(congress=small_congress, person__name="Amina\x0b Ben Ali")

    response = token_client(organiser).get(url(small_congress, "?format=xlsx&detail=people"))

    sheet = load_workbook(io.BytesIO(response.getvalue()))["people"]
    names = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (len(names), names[registration.pk]) == (3, "Amina Ben Ali")


def test_attendance_xlsx_keeps_a_formula_session_title_as_text(
    token_client, organiser, small_congress
):
    title = '=HYPERLINK("http://x","y")'
    Session.objects.filter(congress=small_congress).update(title=title)

    response = token_client(organiser).get(url(small_congress, "?format=xlsx"))

    cell = load_workbook(io.BytesIO(response.getvalue()))["session"]["C2"]
    assert (cell.value, cell.data_type) == (title, "s")


def test_attendance_json_lists_rows_for_organisers(token_client, organiser, small_congress):
    response = token_client(organiser).get(url(small_congress))

    body = response.json()
    assert body["rows"][0] == {
        "section": "total",
        "key": "all",
        "label": "All participants",
        "registered_on_site": 2,
        "registered_online": 0,
        "checked_in": 1,
        "online": 0,
        "online_hours": "0.00",
        "signed_up": "",
        "attended": "",
        "no_show_rate": "",
        "people_trained": "",
        "training_hours": "",
    }


@pytest.mark.parametrize("role_fixture", ["checkin_staff", "reviewer"])
def test_attendance_api_refuses_non_organisers(request, token_client, small_congress, role_fixture):
    user = request.getfixturevalue(role_fixture)

    response = token_client(user).get(url(small_congress, "?format=csv"))

    assert response.status_code == 403
    assert "registered" not in response.content.decode()


def test_attendance_api_refuses_organisers_of_another_congress(
    token_client, small_congress, other_congress
):
    from tests.factories.congress import CongressRoleFactory

    stranger = CongressRoleFactory(congress=other_congress).user

    response = token_client(stranger).get(url(small_congress))

    assert response.status_code == 403


def test_people_export_includes_protected_for_organisers_and_is_audited(
    token_client, organiser, small_congress
):
    RegistrationFactory(congress=small_congress, is_protected=True, person__name="Hidden Defender")

    response = token_client(organiser).get(url(small_congress, "?format=csv&detail=people"))

    names = [row["name"] for row in csv.DictReader(io.StringIO(response.getvalue().decode()))]
    assert "Hidden Defender" in names
    assert len(names) == 3
    event = AuditEvent.objects.get(action="personal_data.export")
    assert (event.actor, event.detail) == (
        organiser,
        {
            "resource": "attendance-report",
            "filters": {"detail": "people"},
            "count": 3,
            "format": "csv",
        },
    )


@pytest.mark.parametrize("people", [1, 6])
def test_attendance_api_query_count_is_flat(
    django_assert_num_queries, token_client, organiser, congress, people
):
    door = session_door(congress, at(9), at(10))
    for _index in range(people):
        registration = RegistrationFactory(congress=congress)
        SessionSignupFactory(session=door.session, registration=registration)
        scan(registration, door, at(9))
    client = token_client(organiser)

    # auth token + user, congress, role check, then the report's fixed queries
    with django_assert_num_queries(15):  # check-out times, plenary rule, room doors, online
        response = client.get(url(congress, "?format=csv"))

    assert response.getvalue().decode().count("\n") > people
