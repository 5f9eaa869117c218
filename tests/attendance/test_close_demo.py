import pytest
from django.core.management import call_command

from attendance.models import AttendanceClosure, ParticipationRecord
from congress.models import AuditEvent, Congress

pytestmark = pytest.mark.django_db


def test_demo_closes_the_world_congress_with_network_history_once():
    call_command("demo", "--allow-production")
    counts = (
        Congress.objects.count(),
        ParticipationRecord.objects.count(),
        AuditEvent.objects.count(),
    )

    call_command("demo", "--allow-production")

    closed = Congress.objects.filter(attendance_closure__closed_at__isnull=False)
    assert list(closed.order_by("starts_on").values_list("slug", "status")) == [
        ("world-congress-2016", Congress.Status.ARCHIVED),
        ("world-congress-2019", Congress.Status.ARCHIVED),
        ("world-congress-2022", Congress.Status.ARCHIVED),
        ("world-congress-2027", Congress.Status.PUBLISHED),
    ]
    assert (
        Congress.objects.count(),
        ParticipationRecord.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert AttendanceClosure.objects.get(congress__slug="world-congress-2027").times_closed == 1
