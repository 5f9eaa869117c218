import io

import pytest
from pypdf import PdfReader

from badges.models import Checkpoint
from congress.models import AuditEvent
from tests.factories.attendance import at, scan, session_door
from tests.factories.badges import CheckpointFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_protected(congress):
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    visible = RegistrationFactory(
        congress=congress, person__name="Visible Person", list_visibility="public"
    )
    protected = RegistrationFactory(
        congress=congress, person__name="Protected Defender", is_protected=True
    )
    scan(visible, entrance, at(8))
    scan(protected, entrance, at(8, 5))
    return congress


def page(congress, suffix=""):
    return f"/en/congresses/{congress.slug}/attendance/{suffix}"


def test_report_page_for_checkin_staff_shows_protected_only_in_aggregates(
    client, checkin_staff, with_protected
):
    client.force_login(checkin_staff)

    body = client.get(page(with_protected)).content.decode()

    assert '<strong id="total-checked-in">2</strong>' in body
    assert "Protected Defender" not in body
    assert "Visible Person" not in body
    assert 'id="table-people"' not in body


def test_report_page_for_organisers_lists_protected_people_marked(
    client, organiser, with_protected
):
    client.force_login(organiser)

    body = client.get(page(with_protected)).content.decode()

    assert "Protected Defender" in body
    assert '<span class="badge">protected</span>' in body
    assert "<svg" in body
    assert "<script" not in body
    assert 'style="' not in body


def test_report_page_hidden_from_other_congresses_staff(client, with_protected, other_congress):
    from tests.factories.congress import CongressRoleFactory

    client.force_login(CongressRoleFactory(congress=other_congress).user)

    assert client.get(page(with_protected)).status_code == 404


def test_people_csv_page_export_is_audited(client, organiser, with_protected):
    client.force_login(organiser)

    response = client.get(page(with_protected, "people.csv"))

    lines = response.getvalue().decode().splitlines()
    assert lines[0].startswith("registration_id,name,organisation")
    assert len(lines) == 3
    event = AuditEvent.objects.get(action="personal_data.export")
    assert (event.actor, event.detail) == (
        organiser,
        {"resource": "attendance:people_csv", "filters": {}, "count": 2, "format": "csv"},
    )


def test_printable_pdf_report_shows_the_totals(client, organiser, with_protected):
    client.force_login(organiser)

    response = client.get(page(with_protected, "report.pdf"))

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert response["Content-Type"] == "application/pdf"
    assert "Attendance report" in text
    assert "Protected Defender" not in text


@pytest.mark.parametrize("people", [1, 5])
def test_report_page_query_count_is_flat(
    django_assert_num_queries, client, organiser, congress, people
):
    door = session_door(congress, at(9), at(10))
    for _index in range(people):
        scan(RegistrationFactory(congress=congress), door, at(9))
    client.force_login(organiser)

    # session, user, congress, 2 role checks, closure, the report's fixed queries, and the
    # audit row of the people list
    with django_assert_num_queries(19):  # check-out times, plenary rule, room doors, online
        response = client.get(page(congress))

    assert response.content.decode().count("<tr>") >= people
