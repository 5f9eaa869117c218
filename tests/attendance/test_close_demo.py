import pytest
from django.core.management import call_command

from attendance.models import AttendanceClosure
from congress.models import AuditEvent
from members.models import CongressEdition

pytestmark = pytest.mark.django_db


def test_demo_closes_the_world_congress_with_network_history_once():
    call_command("demo", "--allow-production")
    counts = (CongressEdition.objects.count(), AuditEvent.objects.count())

    call_command("demo", "--allow-production")

    assert list(CongressEdition.objects.order_by("starts_on").values_list("slug", flat=True)) == [
        "world-congress-2016",
        "world-congress-2019",
        "world-congress-2022",
        "world-congress-2027",
    ]
    assert (CongressEdition.objects.count(), AuditEvent.objects.count()) == counts
    assert AttendanceClosure.objects.get(congress__slug="world-congress-2027").times_closed == 1
