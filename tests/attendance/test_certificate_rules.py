"""Certificates that count presence: the organiser's rule (days, hours or both), plenaries
through the entrance, and the preview of how many people qualify."""

import pytest

from attendance.certificate_rules import CertificateRule, preview_certificates
from attendance.models import AttendanceClosure, Certificate
from attendance.queries import attendance_report
from attendance.services import close_congress, issue_certificates, set_certificate_rule
from congress.models import AuditEvent
from tests.factories.attendance import at, scan, session_door
from tests.factories.badges import CheckpointFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entrance(congress):
    return CheckpointFactory(congress=congress)


@pytest.fixture
def people(congress, entrance):
    """Two days at the entrance (no session), one day, and registered but absent."""
    two_days = RegistrationFactory(congress=congress)
    one_day = RegistrationFactory(congress=congress)
    absent = RegistrationFactory(congress=congress)
    scan(two_days, entrance, at(8, day=15))
    scan(two_days, entrance, at(8, day=16))
    scan(one_day, entrance, at(8, day=15))
    return {"two_days": two_days, "one_day": one_day, "absent": absent}


def _rule(congress, rule, *, days=1, minutes=120, plenaries="room_doors"):
    set_certificate_rule(
        congress=congress,
        rule=rule,
        minutes=minutes,
        days=days,
        plenary_rule=plenaries,
    )


def _certified(congress) -> set[int]:
    return set(
        Certificate.objects.filter(congress=congress, revoked_at__isnull=True).values_list(
            "registration_id", flat=True
        )
    )


def test_days_rule_certifies_people_present_at_the_entrance_for_the_required_days(congress, people):
    _rule(congress, "days", days=2)
    close_congress(congress=congress)

    issue_certificates(congress=congress)

    assert _certified(congress) == {people["two_days"].pk}


def test_hours_rule_ignores_entrance_presence(congress, people):
    # The control: the old rule (hours behind session doors) certifies nobody here.
    _rule(congress, "hours", minutes=60)
    close_congress(congress=congress)

    issue_certificates(congress=congress)

    assert _certified(congress) == set()


def test_both_rule_needs_the_days_and_the_hours(congress, people, entrance):
    door = session_door(congress, at(9, day=15), at(11, day=15))
    scan(people["two_days"], door, at(9, day=15))
    scan(people["one_day"], door, at(9, day=15))
    _rule(congress, "both", days=2, minutes=120)
    close_congress(congress=congress)

    issue_certificates(congress=congress)

    assert _certified(congress) == {people["two_days"].pk}


def test_plenary_counts_for_people_at_the_entrance_that_day_with_the_entrance_rule(
    congress, people
):
    plenary = session_door(congress, at(9, day=15), at(11, day=15), kind="plenary")
    _rule(congress, "hours", minutes=120, plenaries="entrance")

    report = attendance_report(congress=congress)

    [row] = [row for row in report.sessions if row.session.id == plenary.session_id]
    assert row.attended == 2
    assert report.figures[people["one_day"].pk].attended_minutes == 120


def test_plenary_counts_nothing_without_the_entrance_rule(congress, people):
    plenary = session_door(congress, at(9, day=15), at(11, day=15), kind="plenary")

    report = attendance_report(congress=congress)

    [row] = [row for row in report.sessions if row.session.id == plenary.session_id]
    assert (row.attended, report.figures[people["one_day"].pk].attended_minutes) == (0, 0)


def test_preview_counts_who_would_qualify_and_saves_nothing(congress, people):
    preview = preview_certificates(
        congress=congress, rule=CertificateRule(rule="days", minutes=0, days=1)
    )

    assert (preview.qualifying, preview.present, preview.registered) == (2, 2, 3)
    assert AttendanceClosure.objects.filter(congress=congress).exists() is False


def test_certificate_page_preview_shows_the_count(client, organiser, congress, people):
    client.force_login(organiser)
    url = f"/en/congresses/{congress.slug}/certificates/"

    response = client.post(
        url,
        {
            "action": "preview",
            "rule": "days",
            "days": "2",
            "hours": "0",
            "plenary_rule": "room_doors",
        },
    )

    body = response.content.decode()
    start = body.index('<p class="notice" id="certificate-preview" role="status">')
    assert body[start : body.index("</p>", start) + 4] == (
        '<p class="notice" id="certificate-preview" role="status">With this rule, 1 person '
        "would get a certificate (2 present of 3 registered).</p>"
    )
    assert AttendanceClosure.objects.get(congress=congress).certificate_rule == "hours"


def test_certificate_page_saves_the_rule_and_audits(client, organiser, congress):
    client.force_login(organiser)
    url = f"/en/congresses/{congress.slug}/certificates/"

    client.post(
        url,
        {
            "action": "rule",
            "rule": "both",
            "days": "2",
            "hours": "1.5",
            "plenary_rule": "entrance",
        },
    )

    closure = AttendanceClosure.objects.get(congress=congress)
    assert (
        closure.certificate_rule,
        closure.certificate_min_days,
        closure.certificate_threshold_minutes,
        closure.plenary_rule,
    ) == ("both", 2, 90, "entrance")
    assert AuditEvent.objects.get(action="attendance.certificate_rule_set").actor == organiser
