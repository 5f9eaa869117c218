"""Rehearsal scans: scans outside the congress's days count in no attendance figure."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from attendance.models import PersonAttendance
from attendance.queries import load_attendance_data, person_figures
from attendance.services import close_congress
from badges.models import CheckIn
from badges.services import record_scan
from tests.factories.badges import CredentialFactory

pytestmark = pytest.mark.django_db

# The factory congress runs 15-17 June 2027 in Europe/Paris.
BEFORE = datetime.datetime(2027, 5, 2, 9, 0, tzinfo=datetime.UTC)
FIRST_DAY = datetime.datetime(2027, 6, 15, 9, 0, tzinfo=datetime.UTC)
# 23:30 UTC on 14 June is already 15 June in Paris: a congress day, not a rehearsal.
FIRST_DAY_IN_PARIS = datetime.datetime(2027, 6, 14, 22, 30, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2027, 6, 18, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [(BEFORE, True), (FIRST_DAY_IN_PARIS, False), (FIRST_DAY, False), (AFTER, True)],
)
def test_record_scan_flags_days_outside_the_congress_as_rehearsal(congress, moment, expected):
    credential = CredentialFactory(registration__congress=congress)

    with time_machine.travel(moment, tick=False):
        outcome = record_scan(congress=congress, token=credential.token)

    assert (outcome.result, outcome.is_rehearsal) == ("ok", expected)
    assert CheckIn.objects.get().is_rehearsal is expected


def test_rehearsal_scan_changes_no_attendance_figure(congress):
    credential = CredentialFactory(registration__congress=congress)
    before = person_figures(load_attendance_data(congress=congress))[
        credential.registration_id
    ].days_present

    with time_machine.travel(BEFORE, tick=False):
        record_scan(congress=congress, token=credential.token)

    data = load_attendance_data(congress=congress)
    assert (before, person_figures(data)[credential.registration_id].days_present) == (0, 0)
    assert dict(data.people_per_day) == {}


def test_rehearsal_scan_is_not_a_day_present_when_closing(congress):
    rehearsed = CredentialFactory(registration__congress=congress)
    present = CredentialFactory(registration__congress=congress)
    with time_machine.travel(BEFORE, tick=False):
        record_scan(congress=congress, token=rehearsed.token)
        record_scan(congress=congress, token=present.token)
    with time_machine.travel(FIRST_DAY, tick=False):
        record_scan(congress=congress, token=present.token)

    close_congress(congress=congress)

    days = dict(PersonAttendance.objects.values_list("registration_id", "days_present"))
    assert days == {rehearsed.registration_id: 0, present.registration_id: 1}


def test_checkin_api_says_rehearsal(congress, checkin_staff, token_client):
    credential = CredentialFactory(registration__congress=congress)

    with time_machine.travel(BEFORE, tick=False):
        body = (
            token_client(checkin_staff)
            .post(f"/api/v1/congresses/{congress.slug}/checkins/", {"token": credential.token})
            .json()
        )

    assert (body["result"], body["rehearsal"]) == ("ok", True)


def test_scanner_page_before_the_first_day_shows_rehearsal(client, congress, checkin_staff):
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(checkin_staff)
        body = client.get(
            reverse("badges:checkin_for_congress", kwargs={"slug": congress.slug})
        ).content.decode()

    start = body.index('id="rehearsal-banner"')
    assert body[start : body.index("</p>", start)] == (
        'id="rehearsal-banner" class="rehearsal-banner" role="status">Rehearsal: the congress '
        "starts on June 15, 2027. Scans made now are recorded as rehearsal and count in no "
        "attendance figure."
    )


def test_scanner_page_on_a_congress_day_shows_no_rehearsal(client, congress, checkin_staff):
    with time_machine.travel(FIRST_DAY, tick=False):
        client.force_login(checkin_staff)
        body = client.get(
            reverse("badges:checkin_for_congress", kwargs={"slug": congress.slug})
        ).content.decode()

    assert (body.count("rehearsal-banner"), body.count('id="network-status"')) == (0, 1)
