"""Credentials (badge tokens) and checkpoints."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.exceptions import BadgeRevoked, NotRevoked, ReasonRequired, RegistrationNotConfirmed
from badges.models import Checkpoint, Credential
from common.tokens import make_token
from congress.models import Congress
from congress.services import record_audit
from registrations.models import Registration
from sessions.models import Session

# 16 random bytes = 128 bits, 22 URL-safe characters: fits the badge's fixed QR code
# (badges.rendering.BADGE_QR_VERSION, version 2 at error level M, holds 26).
TOKEN_BYTES = 16
# Revocations that do not hold a registration's badge: a cancelled registration is refused
# at the door by its status anyway, and confirming it again must give it a badge. Every
# other revocation (an organiser's, with a reason such as "banned: security incident", or
# an erasure) holds the badge until an organiser lifts it (`lift_revocation`).
RELEASING_REASONS = frozenset({"registration_cancelled"})


def revocation_hold(*, registration_id: int) -> Credential | None:
    """The revoked credential that holds the registration's badge, or None.

    A registration is held when it has no active credential and its latest credential was
    revoked for a reason other than a cancellation. One query.
    """
    latest = _latest_credential(registration_id=registration_id)
    if latest is None or latest.revoked_at is None or latest.revoked_reason in RELEASING_REASONS:
        return None
    return latest


def _latest_credential(*, registration_id: int) -> Credential | None:
    return (
        Credential.objects.filter(registration_id=registration_id)
        .order_by("-issued_at", "-pk")
        .first()
    )


def new_token() -> str:
    return make_token(TOKEN_BYTES)


def issue_credential(
    *,
    registration: Registration,
    actor: AbstractBaseUser | None = None,
    reason: str = "reissued",
) -> Credential:
    """Give a confirmed registration a new badge token, revoking any previous one.

    Guarantees: at most one active credential per registration (locks the registration row,
    plus a partial unique constraint); a revoked badge is never replaced behind the
    organiser's back. Raises RegistrationNotConfirmed, and BadgeRevoked when the registration
    has no active credential because one was revoked (see `revocation_hold`). Writes an
    audit row.
    """
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.CONFIRMED:
            raise RegistrationNotConfirmed(registration=registration)
        held = revocation_hold(registration_id=registration.pk)
        if held is not None:
            raise BadgeRevoked(credential=held)
        revoked = Credential.objects.filter(
            registration=registration, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_reason=reason)
        credential = Credential.objects.create(registration=registration, token=new_token())
        record_audit(
            action="badges.credential_issued",
            congress=registration.congress,
            actor=actor,
            target=credential,
            detail={"registration": registration.pk, "revoked_previous": revoked},
        )
    return credential


def ensure_credential(*, registration: Registration) -> tuple[Credential, bool]:
    """The registration's active credential, issuing one if it has none; (credential, created).

    Idempotent: a second call (or a replayed confirmation signal) returns the same token.
    Raises RegistrationNotConfirmed, and BadgeRevoked (carrying the revoked credential as
    `context["credential"]`) when an organiser's revocation holds the badge.
    """
    active = Credential.objects.filter(registration=registration, revoked_at__isnull=True).first()
    if active is not None:
        return active, False
    try:
        return issue_credential(registration=registration, reason="replaced"), True
    except IntegrityError:
        # Another process issued one at the same time; use theirs.
        return Credential.objects.get(registration=registration, revoked_at__isnull=True), False


def revoke_credentials(
    *, registration: Registration, reason: str, actor: AbstractBaseUser | None = None
) -> int:
    """Revoke every active credential of the registration; return how many were revoked.

    Unless `reason` is "registration_cancelled", the revocation holds the badge: no path
    (re-issue, manual check-in, desk mode, confirmation) gives the registration a new badge
    until an organiser calls `lift_revocation`. Raises ReasonRequired for a blank reason.
    """
    if not reason.strip():
        raise ReasonRequired()
    with transaction.atomic():
        count = Credential.objects.filter(
            registration=registration, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_reason=reason[:200])
        if count:
            record_audit(
                action="badges.credential_revoked",
                congress=registration.congress,
                actor=actor,
                target=registration,
                detail={"count": count},
            )
    return count


def issue_credentials_for_congress(
    *, congress: Congress, actor: AbstractBaseUser | None = None
) -> int:
    """Issue a credential to every confirmed registration of the congress that has none.

    Idempotent; returns the number issued. Uses one bulk insert (no per-row audit rows; one
    summary audit row instead).
    """
    missing = list(
        Registration.objects.filter(
            congress=congress,
            status=Registration.Status.CONFIRMED,
            # An erased person's badges were revoked on purpose: never issue a new one.
            person__erased_at__isnull=True,
        )
        .exclude(
            # Not `credentials__revoked_at__isnull=True`: on a reverse relation that also
            # matches registrations with no credential at all, which are the ones to issue.
            Exists(Credential.objects.filter(registration=OuterRef("pk"), revoked_at__isnull=True))
        )
        .values_list("pk", flat=True)
    )
    created = Credential.objects.bulk_create(
        [Credential(registration_id=pk, token=new_token()) for pk in missing],
        batch_size=500,
    )
    if created:
        record_audit(
            action="badges.credentials_issued",
            congress=congress,
            actor=actor,
            detail={"count": len(created)},
        )
    return len(created)


def entrance_checkpoint(*, congress: Congress) -> Checkpoint:
    """The congress entrance checkpoint, created on first use (one per congress)."""
    try:
        with transaction.atomic():
            checkpoint, _created = Checkpoint.objects.get_or_create(
                congress=congress,
                kind=Checkpoint.Kind.ENTRANCE,
                defaults={"name": "Entrance"},
            )
    except IntegrityError:
        checkpoint = Checkpoint.objects.get(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    return checkpoint


def sync_session_checkpoint(*, session: Session) -> Checkpoint | None:
    """Keep the session's door checkpoint in step with the session; return it (or None).

    A session that requires sign-up and is not cancelled has an active checkpoint named
    after it, created on first need. When sign-up is switched off or the session is
    cancelled, its checkpoint is deactivated (hidden from the scanner, scans refused), not
    deleted: check-ins and the scan log may point at it; switching back reactivates it.
    Idempotent. Called by the receiver of the programme's `session_saved` signal.
    """
    is_active = session.requires_signup and session.status != Session.Status.CANCELLED
    name = session.title[:200]
    checkpoint = Checkpoint.objects.filter(session=session).first()
    if checkpoint is None:
        if not is_active:
            return None
        try:
            with transaction.atomic():
                return Checkpoint.objects.create(
                    congress_id=session.congress_id,
                    kind=Checkpoint.Kind.SESSION,
                    name=name,
                    session=session,
                )
        except IntegrityError:
            checkpoint = Checkpoint.objects.get(session=session)
    changed = [
        field
        for field, value in (("name", name), ("is_active", is_active))
        if getattr(checkpoint, field) != value
    ]
    if changed:
        checkpoint.name, checkpoint.is_active = name, is_active
        checkpoint.save(update_fields=changed)
    return checkpoint


def sync_session_checkpoints(*, congress: Congress) -> None:
    """`sync_session_checkpoint` for every session of the congress (one or two queries per
    session): for data loaded outside the programme's services, such as the demo."""
    for session in Session.objects.filter(congress=congress).order_by("pk"):
        sync_session_checkpoint(session=session)


def revoke_credentials_of_person(*, person_id: int, actor=None) -> None:
    """An erased person's badges stop working: their QR codes would still admit the holder."""
    for registration in Registration.objects.filter(person_id=person_id).select_related("congress"):
        revoke_credentials(registration=registration, reason="person_erased", actor=actor)


def lift_revocation(
    *, registration: Registration, reason: str, actor: AbstractBaseUser | None
) -> Credential:
    """An organiser lifts the revocation holding the registration's badge: the badge the
    person holds (the latest credential) works again. Returns that credential.

    Locks the registration row (as `issue_credential` does). Raises ReasonRequired for a
    blank reason and NotRevoked when nothing holds the badge or the person was erased.
    Writes an audit row with the revocation's reason and the reason it was lifted.
    """
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise ReasonRequired()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        held = revocation_hold(registration_id=registration.pk)
        if held is None:
            raise NotRevoked()
        if held.revoked_reason == "person_erased":
            # An erased person's badge stays revoked: their data is gone on purpose.
            raise NotRevoked(_("An erased person's badge cannot be restored."))
        revoked_reason = held.revoked_reason
        held.revoked_at, held.revoked_reason = None, ""
        held.save(update_fields=["revoked_at", "revoked_reason"])
        record_audit(
            action="badges.revocation_lifted",
            congress=registration.congress,
            actor=actor,
            target=held,
            detail={
                "registration": registration.pk,
                "revoked_reason": revoked_reason,
                "reason": reason,
            },
        )
    return held
