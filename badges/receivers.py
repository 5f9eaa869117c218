"""Signal receivers (connected in BadgesConfig.ready): loosely coupled extras only.

tests/test_signal_receivers.py pins which receivers each project signal has."""

from django.db import transaction
from django.dispatch import receiver

from badges.exceptions import BadgeRevoked, RegistrationNotConfirmed
from badges.services import ensure_credential, revoke_credentials, sync_session_checkpoint
from badges.tasks import send_badge_email_task
from registrations.signals import registration_cancelled, registration_confirmed
from sessions.signals import session_saved


@receiver(registration_confirmed, dispatch_uid="badges_issue_on_confirmation")
def issue_badge_on_confirmation(sender, registration, **kwargs):
    try:
        credential, created = ensure_credential(registration=registration)
    except (RegistrationNotConfirmed, BadgeRevoked):
        return  # not confirmed, or an organiser's revocation holds the badge
    if created:
        transaction.on_commit(lambda: send_badge_email_task.enqueue(credential.pk))


@receiver(registration_cancelled, dispatch_uid="badges_revoke_on_cancellation")
def revoke_badge_on_cancellation(sender, registration, **kwargs):
    revoke_credentials(registration=registration, reason="registration_cancelled")


@receiver(session_saved, dispatch_uid="badges_session_checkpoint")
def sync_checkpoint_of_saved_session(sender, session, **kwargs):
    """The programme saved a session (sent after commit): create, rename, deactivate or
    reactivate its door checkpoint."""
    sync_session_checkpoint(session=session)
