"""Receivers of facts from apps below (pinned in tests/test_signal_receivers.py)."""

from django.dispatch import receiver

from cfp.models import CallForParticipation, ReviewerInvitation
from congress.models import CongressRole
from congress.signals import congress_role_granted


@receiver(congress_role_granted, dispatch_uid="cfp_invite_new_reviewer_to_calls")
def invite_new_reviewer_to_calls(sender, *, congress, user, role, **kwargs) -> None:
    """A reviewer added to the team (team page, invitation) is invited to every call of the
    congress for every track, so "Assign reviewers automatically" counts them at once.
    An organiser narrows their tracks afterwards on the call's page."""
    if role != CongressRole.Role.REVIEWER:
        return
    existing = set(
        ReviewerInvitation.objects.filter(call__congress=congress, reviewer=user).values_list(
            "call_id", flat=True
        )
    )
    ReviewerInvitation.objects.bulk_create(
        [
            ReviewerInvitation(call_id=call_id, reviewer=user)
            for call_id in CallForParticipation.objects.filter(congress=congress)
            .exclude(pk__in=existing)
            .values_list("pk", flat=True)
        ]
    )
