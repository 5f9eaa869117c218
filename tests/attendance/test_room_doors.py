"""Plenaries (and any session) counted through room doors: a scan at a room's checkpoint
counts the session running in that room at the scan time; the organiser's plenary rule
chooses room doors, the entrance that day, or nothing."""

import datetime
import re
from html import unescape

import pytest
import time_machine

from attendance.certificate_rules import CertificateRule, preview_certificates
from attendance.queries import attendance_report
from attendance.services import set_certificate_rule
from badges.models import Scan
from badges.services import record_scan
from sessions.models import Session
from tests.factories.attendance import at
from tests.factories.badges import CheckpointFactory, CredentialFactory, RoomCheckpointFactory
from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(congress):
    return RoomCheckpointFactory(congress=congress)


@pytest.fixture
def plenary(congress, hall):
    # 9:00-10:30 UTC on the congress's first day, in the hall: 90 minutes.
    return SessionFactory(
        congress=congress, room=hall.room, kind=Session.Kind.PLENARY, ends_at=at(10, 30)
    )


def _rule(congress, plenary_rule):
    set_certificate_rule(
        congress=congress, rule="hours", minutes=60, days=1, plenary_rule=plenary_rule
    )


def _scan(congress, credential, checkpoint, moment, direction="entry"):
    with time_machine.travel(moment, tick=False):
        return record_scan(
            congress=congress, checkpoint=checkpoint, token=credential.token, direction=direction
        )


def _minutes(congress, credential) -> int:
    report = attendance_report(congress=congress)
    return report.figures[credential.registration_id].attended_minutes


def test_room_door_scan_during_a_plenary_counts_the_plenary(congress, hall, plenary):
    alice = CredentialFactory(registration__congress=congress)
    _scan(congress, alice, hall, at(9, 20))

    report = attendance_report(congress=congress)

    [row] = [row for row in report.sessions if row.session.id == plenary.pk]
    assert (row.attended, report.figures[alice.registration_id].attended_minutes) == (1, 90)


def test_room_door_scan_before_the_plenary_starts_counts_it(congress, hall, plenary):
    alice = CredentialFactory(registration__congress=congress)
    _scan(congress, alice, hall, at(8, 40))

    assert _minutes(congress, alice) == 90


def test_room_door_scan_long_before_the_plenary_counts_nothing(congress, hall, plenary):
    alice = CredentialFactory(registration__congress=congress)
    _scan(congress, alice, hall, at(8, 0))

    assert _minutes(congress, alice) == 0


def test_exit_at_the_room_door_ends_the_plenary_there(congress, hall, plenary):
    alice = CredentialFactory(registration__congress=congress)
    _scan(congress, alice, hall, at(9, 5))
    _scan(congress, alice, hall, at(10, 0), direction="exit")

    assert _minutes(congress, alice) == 60


def test_second_room_door_scan_the_same_day_counts_the_afternoon_plenary(congress, hall, plenary):
    SessionFactory(
        congress=congress,
        room=hall.room,
        kind=Session.Kind.PLENARY,
        starts_at=at(16),
        ends_at=at(17, 30),
    )
    alice = CredentialFactory(registration__congress=congress)
    _scan(congress, alice, hall, at(9, 5))

    second = _scan(congress, alice, hall, at(15, 55))

    assert (second.result, _minutes(congress, alice)) == ("already_checked_in", 180)


def test_room_door_counts_the_session_of_its_room_only(congress, hall, plenary):
    elsewhere = SessionFactory(
        congress=congress, kind=Session.Kind.PANEL, starts_at=at(11), ends_at=at(12)
    )
    alice = CredentialFactory(registration__congress=congress)
    _scan(congress, alice, hall, at(11, 10))

    report = attendance_report(congress=congress)

    [row] = [row for row in report.sessions if row.session.id == elsewhere.pk]
    assert (row.attended, report.figures[alice.registration_id].attended_minutes) == (0, 0)


def test_entrance_rule_counts_the_plenary_without_a_room_scan(congress, hall, plenary):
    entrance = CheckpointFactory(congress=congress)
    bob = CredentialFactory(registration__congress=congress)
    _scan(congress, bob, entrance, at(8, 0))
    _rule(congress, "entrance")

    assert _minutes(congress, bob) == 90


def test_entrance_rule_ignores_room_door_scans_for_plenaries(congress, hall, plenary):
    alice = CredentialFactory(registration__congress=congress)
    _scan(congress, alice, hall, at(9, 20))
    _rule(congress, "entrance")

    assert _minutes(congress, alice) == 0


def test_none_rule_counts_no_plenary_but_other_sessions_of_the_room(congress, hall, plenary):
    SessionFactory(
        congress=congress,
        room=hall.room,
        kind=Session.Kind.PANEL,
        starts_at=at(11),
        ends_at=at(12),
    )
    alice = CredentialFactory(registration__congress=congress)
    _scan(congress, alice, hall, at(9, 20))
    _scan(congress, alice, hall, at(11, 5), direction="exit")
    _scan(congress, alice, hall, at(11, 6))
    _rule(congress, "none")

    assert _minutes(congress, alice) == 60


def test_rehearsal_room_door_scans_count_nothing(congress, hall):
    # A plenary-like rehearsal weeks before the congress, in the same hall.
    rehearsal = datetime.datetime(2027, 5, 2, 9, 0, tzinfo=datetime.UTC)
    SessionFactory(
        congress=congress,
        room=hall.room,
        kind=Session.Kind.PLENARY,
        starts_at=rehearsal,
        ends_at=rehearsal + datetime.timedelta(hours=1),
    )
    alice = CredentialFactory(registration__congress=congress)

    outcome = _scan(congress, alice, hall, rehearsal + datetime.timedelta(minutes=10))

    report = attendance_report(congress=congress)
    figures = report.figures[alice.registration_id]
    assert (outcome.is_rehearsal, figures.attended_minutes, figures.days_present) == (True, 0, 0)
    assert Scan.objects.get().result == "ok"


def test_refused_room_door_scan_counts_nothing(congress, hall, plenary):
    alice = CredentialFactory(registration__congress=congress)
    hall.is_active = False
    hall.save()

    outcome = _scan(congress, alice, hall, at(9, 20))

    assert (outcome.reason, _minutes(congress, alice)) == ("checkpoint_closed", 0)


def test_certificate_preview_follows_the_plenary_rule(congress, hall, plenary):
    entrance = CheckpointFactory(congress=congress)
    in_hall = CredentialFactory(registration__congress=congress)
    _scan(congress, in_hall, hall, at(9, 20))
    for _ in range(2):
        _scan(congress, CredentialFactory(registration__congress=congress), entrance, at(8))
    rule = CertificateRule(rule="hours", minutes=60, days=1)

    qualifying = {
        plenary_rule: preview_certificates(
            congress=congress, rule=rule, plenary_rule=plenary_rule
        ).qualifying
        for plenary_rule in ("room_doors", "entrance", "none")
    }

    assert qualifying == {"room_doors": 1, "entrance": 2, "none": 0}


def test_certificate_page_previews_with_the_chosen_plenary_rule(
    client, organiser, congress, hall, plenary
):
    entrance = CheckpointFactory(congress=congress)
    _scan(congress, CredentialFactory(registration__congress=congress), hall, at(9, 20))
    _scan(congress, CredentialFactory(registration__congress=congress), entrance, at(8))
    _scan(congress, CredentialFactory(registration__congress=congress), entrance, at(8))
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/certificates/",
        {
            "action": "preview",
            "rule": "hours",
            "days": "1",
            "hours": "1",
            "plenary_rule": "entrance",
        },
    )

    body = response.content.decode()
    start = body.index('<p class="notice" id="certificate-preview" role="status">')
    assert body[start : body.index("</p>", start) + 4] == (
        '<p class="notice" id="certificate-preview" role="status">With this rule, 2 people '
        "would get a certificate (3 present of 3 registered).</p>"
    )


def test_certificate_page_offers_the_plenary_rules_with_the_saved_one_chosen(
    client, organiser, congress
):
    _rule(congress, "entrance")
    client.force_login(organiser)

    html = client.get(f"/en/congresses/{congress.slug}/certificates/").content.decode()

    start = html.index('<fieldset class="field" id="plenary-rule">')
    fieldset = html[start : html.index("</fieldset>", start)]
    choices = re.findall(
        r'<input type="radio" name="plenary_rule" value="(\w+)"[^>]*?( checked)?>'
        r"\s*([^<]+)</label>",
        fieldset,
    )
    assert [
        (value, bool(checked), unescape(label.strip())) for value, checked, label in choices
    ] == [
        ("room_doors", False, "Scans at the door of the plenary's room"),
        ("entrance", True, "Everyone present at the entrance that day"),
        ("none", False, "Plenaries do not count"),
    ]
