"""Reactions to other apps' signals. Connected from ProgrammeConfig.ready()."""

from django.dispatch import receiver

from registrations.models import Registration
from registrations.signals import registration_cancelled
from sessions.services import cancel_signups_for_registration


@receiver(registration_cancelled, dispatch_uid="programme_free_seats_of_cancelled_registration")
def free_seats_of_cancelled_registration(sender, registration: Registration, **kwargs) -> None:
    """A cancelled registration gives up its seats and waitlist places; waitlists move up."""
    cancel_signups_for_registration(registration=registration)
