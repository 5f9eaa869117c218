"""Closing a congress from its page: confirmation, refused before the last day, preview of
what it writes, reopening and closing again without duplicates."""

import datetime

import pytest
import time_machine

from attendance.models import AttendanceClosure, ParticipationRecord
from congress.models import AuditEvent
from tests.attendance.test_close_congress import world  # noqa: F401  (the shared fixture)
from tests.factories.attendance import at

pytestmark = pytest.mark.django_db
LAST_DAY_EVENING = at(18, day=17)  # the congress ends on 17 June 2027 (Europe/Paris)


def close_url(congress) -> str:
    return f"/en/congresses/{congress.slug}/attendance/close/"


def test_preview_shows_what_closing_will_write_without_writing(client, congress, world, organiser):  # noqa: F811
    client.force_login(organiser)

    response = client.get(close_url(congress))

    preview = response.context["preview"]
    assert (preview.people, preview.present, preview.member_count, preview.members_present) == (
        4,
        3,
        2,
        1,
    )
    assert [
        (row.organisation, row.is_member, row.delegates_registered, row.delegates_present)
        for row in preview.rows
    ] == [
        (world["present_member"], True, 2, 2),
        (world["visitor"], False, 1, 1),
        (world["absent_member"], True, 1, 0),
    ]
    assert preview.share == 50
    assert ParticipationRecord.objects.count() == 0


def test_closing_before_the_last_day_is_refused(client, congress, world, organiser):  # noqa: F811
    # 21:30 UTC on 16 June is 23:30 in Paris, still the day before the last one.
    with time_machine.travel(datetime.datetime(2027, 6, 16, 21, 30, tzinfo=datetime.UTC)):
        client.force_login(organiser)
        response = client.post(close_url(congress), {"confirm": "yes"})

    assert response.status_code == 400
    assert response.context["error"] == (
        "The congress cannot be closed before its last day (June 17, 2027, in its time zone)."
    )
    assert AttendanceClosure.objects.filter(congress=congress).exists() is False


def test_closing_on_the_last_day_in_the_congress_time_zone_is_allowed(
    client,
    congress,
    world,  # noqa: F811
    organiser,
):
    with time_machine.travel(datetime.datetime(2027, 6, 16, 22, 30, tzinfo=datetime.UTC)):
        client.force_login(organiser)
        response = client.post(close_url(congress), {"confirm": "yes"})

    assert response.status_code == 302
    assert AttendanceClosure.objects.get(congress=congress).times_closed == 1


def test_closing_needs_the_confirmation_box(client, congress, world, organiser):  # noqa: F811
    with time_machine.travel(LAST_DAY_EVENING):
        client.force_login(organiser)
        response = client.post(close_url(congress))

    assert response.context["error"] == (
        "Tick the box to confirm that you want to close the congress."
    )
    assert AttendanceClosure.objects.filter(congress=congress).exists() is False


def test_reopen_then_close_again_replaces_the_records_never_duplicates(
    client,
    congress,
    world,  # noqa: F811
    organiser,
):
    with time_machine.travel(LAST_DAY_EVENING):
        client.force_login(organiser)
        client.post(close_url(congress), {"confirm": "yes"})
        first = sorted(ParticipationRecord.objects.values_list("organisation", "delegates_present"))

        client.post(f"/en/congresses/{congress.slug}/attendance/reopen/")
        reopened = AttendanceClosure.objects.get(congress=congress).closed_at
        world["bob"].status = "cancelled"
        world["bob"].save(update_fields=["status"])
        client.post(close_url(congress), {"confirm": "yes"})

    second = sorted(ParticipationRecord.objects.values_list("organisation", "delegates_present"))
    assert reopened is None
    assert len(first) == len(second) == 3
    assert dict(second)[world["present_member"].pk] == 1
    assert list(
        AuditEvent.objects.filter(action__startswith="attendance.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["attendance.closed", "attendance.reopened", "attendance.closed"]


def test_closing_page_is_for_organisers_of_the_congress(
    client, congress, other_congress, organiser
):
    client.force_login(organiser)

    response = client.get(close_url(other_congress))

    assert response.status_code == 404
