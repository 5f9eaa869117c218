"""Signal receivers (connected in BadgesConfig.ready): loosely coupled extras only.

tests/test_signal_receivers.py pins which receivers each project signal has."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from badges.api.authentication import forget_token
from badges.exceptions import BadgeRevoked, RegistrationNotConfirmed
from badges.models import Checkpoint
from badges.scan_cache import bump_scan_context_version
from badges.services import ensure_credential, revoke_credentials, sync_session_checkpoint
from badges.tasks import send_badge_email_task
from congress.models import Congress, CongressRole
from registrations.signals import registration_cancelled, registration_confirmed
from sessions.models import Room
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


@receiver(post_save, sender=Checkpoint, dispatch_uid="badges_scan_cache_checkpoint_saved")
@receiver(post_delete, sender=Checkpoint, dispatch_uid="badges_scan_cache_checkpoint_deleted")
@receiver(post_save, sender=CongressRole, dispatch_uid="badges_scan_cache_role_saved")
@receiver(post_delete, sender=CongressRole, dispatch_uid="badges_scan_cache_role_deleted")
@receiver(post_save, sender=Congress, dispatch_uid="badges_scan_cache_congress_saved")
def forget_scan_context(sender, **kwargs):
    """A checkpoint, role or congress changed: scanners read it afresh (badges.scan_cache).

    Bumped now and again after the commit, so a scanner that cached the old row in between
    does not keep it for the whole TTL."""
    bump_scan_context_version()
    transaction.on_commit(bump_scan_context_version)


@receiver(post_delete, sender=Token, dispatch_uid="badges_forget_deleted_api_token")
def forget_deleted_api_token(sender, instance, **kwargs):
    """A signed-out or rotated API token stops working at once (badges.api.authentication)."""
    forget_token(key=instance.key)


@receiver(post_save, sender=Room, dispatch_uid="badges_rename_room_doors")
def rename_room_doors(sender, instance, **kwargs):
    """A renamed room renames its door, so the scanner shows the room's current name (each
    save bumps the scanning context, as any checkpoint change does)."""
    name = instance.name[:200]
    for checkpoint in Checkpoint.objects.filter(kind=Checkpoint.Kind.ROOM, room=instance).exclude(
        name=name
    ):
        checkpoint.name = name
        checkpoint.save(update_fields=["name"])
