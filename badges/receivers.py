"""Signal receivers (connected in BadgesConfig.ready): loosely coupled extras only."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from badges.exceptions import RegistrationNotConfirmed
from badges.services import ensure_credential, ensure_session_checkpoint, revoke_credentials
from badges.tasks import send_badge_email_task
from registrations.signals import registration_cancelled, registration_confirmed
from sessions.models import Session


@receiver(registration_confirmed, dispatch_uid="badges_issue_on_confirmation")
def issue_badge_on_confirmation(sender, registration, **kwargs):
    try:
        credential, created = ensure_credential(registration=registration)
    except RegistrationNotConfirmed:
        return
    if created:
        transaction.on_commit(lambda: send_badge_email_task.enqueue(credential.pk))


@receiver(registration_cancelled, dispatch_uid="badges_revoke_on_cancellation")
def revoke_badge_on_cancellation(sender, registration, **kwargs):
    revoke_credentials(registration=registration, reason="registration_cancelled")


@receiver(post_save, sender=Session, dispatch_uid="badges_session_checkpoint")
def create_session_checkpoint(sender, instance, raw=False, **kwargs):
    if not raw:
        ensure_session_checkpoint(session=instance)
