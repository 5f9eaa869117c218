import re

import pytest
import time_machine
from django.core.management import call_command

from attendance.models import (
    AttendanceClosure,
    ParticipationRecord,
    PersonAttendance,
    TrackAttendance,
)
from attendance.services import close_congress
from badges.models import CheckIn, Checkpoint
from congress.models import AuditEvent
from registrations.models import Registration
from sessions.models import Session
from tests.factories.attendance import at, scan, session_door
from tests.factories.badges import CheckpointFactory
from tests.factories.congress import TrackFactory
from tests.factories.members import MembershipFactory, NetworkFactory, OrganisationFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(congress):
    """Two member organisations (one absent), one non-member, a training track."""
    network = NetworkFactory()
    congress.network = network
    congress.save(update_fields=["network"])
    present_member, absent_member, visitor = OrganisationFactory.create_batch(3)
    MembershipFactory(network=network, organisation=present_member)
    MembershipFactory(network=network, organisation=absent_member)
    track = TrackFactory(congress=congress)
    training = session_door(congress, at(9), at(10, 30), track=track, kind=Session.Kind.TRAINING)
    plenary = session_door(congress, at(11), at(12), kind=Session.Kind.PLENARY)
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    alice = RegistrationFactory(congress=congress, person__organisation=present_member)
    bob = RegistrationFactory(congress=congress, person__organisation=present_member)
    carla = RegistrationFactory(congress=congress, person__organisation=visitor)
    RegistrationFactory(congress=congress, person__organisation=absent_member)
    scan(alice, entrance, at(8, 30))
    scan(alice, training, at(9, 1))
    scan(alice, plenary, at(11, 2))
    scan(bob, entrance, at(8, 40))
    scan(carla, training, at(9, 5))
    return {
        "network": network,
        "present_member": present_member,
        "absent_member": absent_member,
        "visitor": visitor,
        "track": track,
        "alice": alice,
        "bob": bob,
        "training": training,
    }


def _records(congress):
    return {
        record.organisation_id: (
            record.is_member,
            record.delegates_registered,
            record.delegates_present,
            record.sessions_attended,
            record.trainings_attended,
            record.training_minutes,
        )
        for record in ParticipationRecord.objects.filter(congress=congress)
    }


def test_close_congress_rolls_up_each_organisation(congress, world):
    close_congress(congress=congress)

    assert _records(congress) == {
        world["present_member"].pk: (True, 2, 2, 2, 1, 90),
        world["absent_member"].pk: (True, 1, 0, 0, 0, 0),
        world["visitor"].pk: (False, 1, 1, 1, 1, 90),
    }
    assert AttendanceClosure.objects.get(congress=congress).member_count == 2


def test_close_congress_computes_each_persons_hours_per_track(congress, world):
    close_congress(congress=congress)

    alice = PersonAttendance.objects.get(registration=world["alice"])
    assert (alice.days_present, alice.sessions_attended, alice.trainings_attended) == (1, 2, 1)
    assert (alice.attended_minutes, alice.training_minutes) == (150, 90)
    assert list(
        TrackAttendance.objects.filter(attendance=alice).values_list("track", "minutes")
    ) == [(world["track"].pk, 90)]


def test_close_congress_twice_does_not_double_count(congress, world):
    close_congress(congress=congress)
    first = (_records(congress), PersonAttendance.objects.count(), TrackAttendance.objects.count())

    close_congress(congress=congress)

    assert (
        _records(congress),
        PersonAttendance.objects.count(),
        TrackAttendance.objects.count(),
    ) == first
    assert AttendanceClosure.objects.get(congress=congress).times_closed == 2


def test_close_congress_after_corrections_updates_the_figures(congress, world):
    close_congress(congress=congress)
    world["training"].checkins.filter(credential__registration=world["alice"]).delete()
    Registration.objects.filter(pk=world["bob"].pk).update(status=Registration.Status.CANCELLED)

    close_congress(congress=congress)

    assert _records(congress)[world["present_member"].pk] == (True, 1, 1, 1, 0, 0)
    assert not PersonAttendance.objects.filter(registration=world["bob"]).exists()
    assert not TrackAttendance.objects.filter(attendance__registration=world["alice"]).exists()


def test_close_congress_writes_an_audit_row_with_counts_only(congress, world, organiser):
    close_congress(congress=congress, actor=organiser)

    event = AuditEvent.objects.get(action="attendance.closed")
    assert (event.actor, event.congress) == (organiser, congress)
    assert event.detail == {"people": 4, "present": 3, "organisations": 3, "certificates": 0}


def test_close_congress_command_prints_the_summary(congress, world, capsys):
    call_command("close_congress", congress.slug)

    assert capsys.readouterr().out.strip() == (
        f"Closed {congress.slug}: 3 of 4 people present, 3 organisations recorded, "
        "0 valid certificates."
    )


def test_close_button_closes_for_organisers_only(client, congress, world, organiser, checkin_staff):
    url = f"/en/congresses/{congress.slug}/attendance/close/"
    client.force_login(checkin_staff)
    refused = client.post(url, {"confirm": "yes"})

    with time_machine.travel(at(18, day=congress.ends_on.day), tick=False):
        client.force_login(organiser)
        response = client.post(url, {"confirm": "yes"}, follow=True)

    assert refused.status_code == 404
    assert "Attendance closed: 3 of 4 people present" in response.content.decode()
    assert AttendanceClosure.objects.get(congress=congress).closed_by == organiser


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_close_congress_concurrent_runs_count_once(congress, world):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run(_index):
        try:
            close_congress(congress=congress)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(run, range(4)))

    assert AttendanceClosure.objects.get(congress=congress).times_closed == 4
    assert PersonAttendance.objects.filter(congress=congress).count() == 4
    assert _records(congress)[world["present_member"].pk] == (True, 2, 2, 2, 1, 90)


def test_close_congress_exit_scan_cuts_the_session_hours_short(congress, world):
    from badges.services.checkins import Direction, record_scan
    from tests.factories.sessions import SessionSignupFactory

    checkin = CheckIn.objects.get(
        credential__registration=world["alice"],
        checkpoint__session__isnull=False,
        checkpoint__session__kind=Session.Kind.TRAINING,
    )
    SessionSignupFactory(session=checkin.checkpoint.session, registration=world["alice"])
    with time_machine.travel(at(9, 45), tick=False):
        outcome = record_scan(
            congress=congress,
            checkpoint=checkin.checkpoint,
            registration_id=world["alice"].pk,
            direction=Direction.EXIT,
        )

    close_congress(congress=congress)

    assert (outcome.result, outcome.reason) == ("ok", "checked_out")
    alice = PersonAttendance.objects.get(registration=world["alice"])
    assert alice.training_minutes == 45


def _table_rows(body: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', body, re.S).group(1)
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr>.*?</tr>", table)]


def test_closing_again_after_renaming_the_slug_counts_the_congress_once(
    client, congress, world, organiser
):
    close_congress(congress=congress)
    congress.slug = "renamed-after-closing"
    congress.save(update_fields=["slug"])

    close_congress(congress=congress)

    client.force_login(organiser)
    body = client.get(f"/en/networks/{world['network'].slug}/engagement/").content.decode()
    assert _table_rows(body, "table-editions") == [[congress.name, "June 15, 2027", "1", "2"]]
    assert ParticipationRecord.objects.count() == 3
