"""Remote participation: joins through the private page, deduplicated, counted apart."""

import datetime

import pytest

from attendance.certificate_rules import CertificateRule, qualifies
from attendance.exceptions import NotAnOnlineSession
from attendance.models import OnlineVisit
from attendance.online import join_online_session, leave_online_session, online_seconds
from attendance.queries import attendance_report
from registrations.models import Registration
from registrations.self_service import issue_access_token
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db

STREAM = "https://stream.example.org/plenary"


def at(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2027, 6, 15, hour, minute, tzinfo=datetime.UTC)


@pytest.fixture
def streamed(congress):
    return SessionFactory(congress=congress, stream_url=STREAM, starts_at=at(9), ends_at=at(11))


def test_joining_twice_while_open_records_one_visit(congress, streamed):
    registration = RegistrationFactory(congress=congress)

    first, _session = join_online_session(
        registration=registration, session_id=streamed.pk, now=at(9)
    )
    second, _session = join_online_session(
        registration=registration, session_id=streamed.pk, now=at(9, 5)
    )

    assert (first.pk, OnlineVisit.objects.count()) == (second.pk, 1)


def test_unconfirmed_registration_cannot_join(congress, streamed):
    registration = RegistrationFactory(
        congress=congress, status=Registration.Status.PENDING_PAYMENT
    )

    with pytest.raises(NotAnOnlineSession):
        join_online_session(registration=registration, session_id=streamed.pk)

    assert OnlineVisit.objects.count() == 0


def test_session_without_stream_cannot_be_joined(congress):
    registration = RegistrationFactory(congress=congress)
    session = SessionFactory(congress=congress)

    with pytest.raises(NotAnOnlineSession):
        join_online_session(registration=registration, session_id=session.pk)


def test_online_time_is_counted_apart_and_clipped_to_the_session(congress, streamed):
    registration = RegistrationFactory(congress=congress)
    join_online_session(registration=registration, session_id=streamed.pk, now=at(8, 30))
    leave_online_session(registration=registration, session_id=streamed.pk, now=at(10))

    report = attendance_report(congress=congress)

    person = report.figures[registration.pk]
    [row] = report.sessions
    assert (person.online_minutes, person.attended_minutes, person.is_present) == (60, 0, False)
    assert (report.online, report.checked_in, row.online, row.attended) == (1, 0, 1, 0)


def test_online_hours_count_for_the_hours_certificate_rule(congress, streamed):
    registration = RegistrationFactory(congress=congress)
    join_online_session(registration=registration, session_id=streamed.pk, now=at(9))
    leave_online_session(registration=registration, session_id=streamed.pk, now=at(10, 30))

    person = attendance_report(congress=congress).figures[registration.pk]

    assert qualifies(person, CertificateRule(rule="hours", minutes=90)) is True
    assert qualifies(person, CertificateRule(rule="hours", minutes=91)) is False


def test_overlapping_visits_count_once():
    start, end = at(9).timestamp(), at(11).timestamp()
    visits = [
        (at(9).timestamp(), at(10).timestamp()),
        (at(9, 30).timestamp(), at(10, 30).timestamp()),
    ]

    assert online_seconds(visits, start, end) == 90 * 60


def test_online_page_lists_stream_sessions_and_join_records_attendance(client, congress, streamed):
    registration = RegistrationFactory(congress=congress)
    SessionFactory(congress=congress, title="Not streamed")
    token = issue_access_token(registration=registration)
    url = f"/en/me/{token}/online/"

    page = client.get(url, follow=True)
    joined = client.post(url, {"session": streamed.pk, "action": "join"})

    assert [session.pk for session, _open in page.context["sessions"]] == [streamed.pk]
    assert f'<a id="stream-link" href="{STREAM}" rel="noopener noreferrer">' in (
        joined.content.decode()
    )
    assert list(OnlineVisit.objects.values_list("registration_id", "session_id")) == [
        (registration.pk, streamed.pk)
    ]


def test_online_page_of_an_unknown_link_is_not_found(client):
    assert client.get("/en/me/not-a-token/online/", follow=True).status_code == 404
