"""Remote participants in the attendance report's exports (CSV, XLSX, JSON, PDF), the page,
and the membership records: registrations of online categories are counted apart from
those on site, with the people who joined a stream and their hours online."""

import io

import pytest
from defusedcsv import csv
from openpyxl import load_workbook

from attendance.exports import report_pdf
from attendance.models import ParticipationRecord
from attendance.online import join_online_session, leave_online_session
from attendance.queries import attendance_report
from attendance.services import close_congress
from badges.models import Checkpoint
from tests.factories.attendance import at, scan
from tests.factories.badges import CheckpointFactory
from tests.factories.members import OrganisationFactory
from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory
from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db

STREAM = "https://stream.example.org/plenary"


def api(congress, query=""):
    return f"/api/v1/congresses/{congress.slug}/reports/attendance/{query}"


def follow_online(registration, session, start, end) -> None:
    join_online_session(registration=registration, session_id=session.pk, now=start)
    leave_online_session(registration=registration, session_id=session.pk, now=end)


@pytest.fixture
def mixed(congress):
    """Two delegates on site (one checked in), two remote participants (one followed the
    plenary's stream for 90 minutes)."""
    organisation = OrganisationFactory(name="Coalition tunisienne")
    on_site = RegistrationCategoryFactory(congress=congress, name="Delegates")
    remote = RegistrationCategoryFactory(congress=congress, name="Remote", is_online=True)
    plenary = SessionFactory(
        congress=congress, title="Opening", stream_url=STREAM, starts_at=at(9), ends_at=at(11)
    )
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    alice = RegistrationFactory(
        congress=congress,
        category=on_site,
        person__organisation=organisation,
        person__country="TN",
        person__name="Alice",
    )
    RegistrationFactory(congress=congress, category=on_site, person__country="MA")
    rana = RegistrationFactory(
        congress=congress,
        category=remote,
        person__organisation=organisation,
        person__country="TN",
        person__name="Rana",
    )
    RegistrationFactory(congress=congress, category=remote, person__country="MA")
    scan(alice, entrance, at(8))
    follow_online(rana, plenary, at(9), at(10, 30))
    return congress


FIGURES = ("registered_on_site", "registered_online", "checked_in", "online", "online_hours")


def test_attendance_csv_total_counts_online_registrations_apart(token_client, organiser, mixed):
    response = token_client(organiser).get(api(mixed, "?format=csv"))

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert {column: rows[0][column] for column in ("section", *FIGURES)} == {
        "section": "total",
        "registered_on_site": "2",
        "registered_online": "2",
        "checked_in": "1",
        "online": "1",
        "online_hours": "1.50",
    }


def test_attendance_json_category_rows_count_online_registrations_apart(
    token_client, organiser, mixed
):
    response = token_client(organiser).get(api(mixed))

    rows = [row for row in response.json()["rows"] if row["section"] == "category"]
    assert [(row["label"], *(row[column] for column in FIGURES)) for row in rows] == [
        ("Delegates", 2, 0, 1, 0, "0.00"),
        ("Remote", 0, 2, 0, 1, "1.50"),
    ]


def test_attendance_json_day_and_session_rows_count_online_participants(
    token_client, organiser, mixed
):
    response = token_client(organiser).get(api(mixed))

    rows = response.json()["rows"]
    days = {
        row["key"]: [row[column] for column in FIGURES] for row in rows if row["section"] == "day"
    }
    sessions = [(row["label"], row["online"]) for row in rows if row["section"] == "session"]
    assert days == {
        "2027-06-15": [2, 2, 1, 1, "1.50"],
        "2027-06-16": [2, 2, 0, 0, "0.00"],
        "2027-06-17": [2, 2, 0, 0, "0.00"],
    }
    assert sessions == [("Opening", 1)]


def test_attendance_xlsx_organisation_sheet_counts_online_registrations_apart(
    token_client, organiser, mixed
):
    response = token_client(organiser).get(api(mixed, "?format=xlsx"))

    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True)["organisation"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2:8] == ("label", *FIGURES)
    assert [row[2:8] for row in rows[1:]] == [
        ("Coalition tunisienne", 1, 1, 1, 1, "1.50"),
        ("None", 1, 1, 0, 0, "0.00"),
    ]


def test_people_csv_gives_each_remote_participants_online_hours(token_client, organiser, mixed):
    response = token_client(organiser).get(api(mixed, "?format=csv&detail=people"))

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    named = {row["name"]: (row["is_online"], row["online_hours"]) for row in rows}
    assert (named["Alice"], named["Rana"]) == (("no", "0.00"), ("yes", "1.50"))


def test_printable_report_shows_online_figures_apart(mixed, pdf_text):
    text = pdf_text(report_pdf(attendance_report(congress=mixed)))

    assert text.splitlines()[1:6] == [
        "All participants Registered on site Registered online Checked in Took part online "
        "Online hours",
        "2 2 1 1 1.50",
        "Per day Registered on site Registered online Checked in Took part online Online hours",
        "2027-06-15 2 2 1 1 1.50",
        "2027-06-16 2 2 0 0 0.00",
    ]


def test_report_page_totals_count_online_registrations_apart(client, organiser, mixed):
    client.force_login(organiser)

    html = client.get(f"/en/congresses/{mixed.slug}/attendance/").content.decode()

    assert [
        html.split(f'id="{name}">')[1].split("<")[0]
        for name in (
            "total-registered-on-site",
            "total-registered-online",
            "total-checked-in",
            "total-online",
            "total-online-hours",
        )
    ] == ["2", "2", "1", "1", "1.50"]


def test_close_congress_records_delegates_on_site_and_online_apart(mixed):
    close_congress(congress=mixed)

    record = ParticipationRecord.objects.get(organisation__name="Coalition tunisienne")
    assert (
        record.delegates_registered,
        record.delegates_present,
        record.delegates_registered_online,
        record.delegates_online,
    ) == (1, 1, 1, 1)


def _remote_people(congress, people: int) -> None:
    remote = RegistrationCategoryFactory(congress=congress, is_online=True)
    plenary = SessionFactory(congress=congress, stream_url=STREAM, starts_at=at(9), ends_at=at(11))
    for _index in range(people):
        follow_online(
            RegistrationFactory(congress=congress, category=remote), plenary, at(9), at(10)
        )


@pytest.mark.parametrize("query", ["", "?format=csv", "?format=xlsx"])
@pytest.mark.parametrize("people", [1, 6])
def test_attendance_api_with_remote_participants_query_count_is_flat(
    django_assert_num_queries, token_client, organiser, congress, people, query
):
    _remote_people(congress, people)
    client = token_client(organiser)

    # auth token + user, congress, role check, then the report's fixed queries (room doors one)
    with django_assert_num_queries(15):
        response = client.get(api(congress, query))

    assert response.status_code == 200


@pytest.mark.parametrize("people", [1, 5])
def test_report_page_with_remote_participants_query_count_is_flat(
    django_assert_num_queries, client, organiser, congress, people
):
    _remote_people(congress, people)
    client.force_login(organiser)

    with django_assert_num_queries(19):
        response = client.get(f"/en/congresses/{congress.slug}/attendance/")

    assert response.content.decode().count(">online</span>") == people


def test_closing_preview_shows_delegates_on_site_and_online_apart(client, organiser, mixed):
    client.force_login(organiser)

    html = client.get(f"/en/congresses/{mixed.slug}/attendance/close/").content.decode()

    row = html.split("<td>Coalition tunisienne</td>")[1].split("</tr>")[0]
    assert row == "<td>No</td><td>1</td><td>1</td><td>1</td><td>1</td><td>0.0</td>"
