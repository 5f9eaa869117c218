import pytest
from django.core.management import call_command
from django.utils import timezone

from cfp.models import CallForParticipation, Review, Submission
from sessions.models import Session

pytestmark = pytest.mark.django_db


def test_demo_loads_open_world_call_and_decided_regional_call(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "--allow-production")

    world_call = CallForParticipation.objects.get(congress__kind="world")
    regional_call = CallForParticipation.objects.get(congress__kind="regional")
    assert world_call.is_open_at(timezone.now())
    assert not regional_call.is_open_at(timezone.now())
    assert set(world_call.submissions.values_list("language", flat=True)) == {"en", "fr", "ar"}
    assert sorted(regional_call.submissions.values_list("status", flat=True)) == [
        "accepted",
        "rejected",
        "waitlisted",
    ]
    assert Review.objects.filter(submission__call=world_call).count() >= 5
    accepted = Submission.objects.get(call=regional_call, status="accepted")
    assert Session.objects.get(pk=accepted.programme_session_id).status == "draft"
