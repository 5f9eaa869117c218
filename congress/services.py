from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction

from common.exceptions import ConflictError
from common.prepared import insert
from congress.exceptions import LastOrganiser
from congress.models import AuditEvent, Congress, CongressRole
from congress.signals import congress_role_granted


def record_audit(
    *,
    action: str,
    congress: Congress | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    target: models.Model | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit row. `detail` holds ids, counts and filters only, never personal data."""
    return insert(
        AuditEvent(
            congress=congress,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            detail=detail or {},
        )
    )


def grant_congress_role(
    *,
    congress: Congress,
    user: AbstractBaseUser,
    role: str,
    granted_by: AbstractBaseUser | None = None,
) -> CongressRole:
    """Give `user` a role in `congress`; granting a role twice returns the existing one.

    A new grant is audited ("role.granted") and announced with `congress_role_granted` inside
    the same transaction (a new reviewer becomes assignable to the congress's calls).
    """
    if role not in CongressRole.Role.values:
        raise ConflictError(role=role)
    with transaction.atomic():
        congress_role, created = CongressRole.objects.get_or_create(
            congress=congress, user=user, role=role
        )
        if created:
            record_audit(
                action="role.granted",
                congress=congress,
                actor=granted_by,
                target=congress_role,
                detail={"role": role, "user_id": user.pk},
            )
            congress_role_granted.send(sender=CongressRole, congress=congress, user=user, role=role)
    return congress_role


def revoke_congress_role(
    *,
    congress: Congress,
    user: AbstractBaseUser,
    role: str,
    revoked_by: AbstractBaseUser | None = None,
) -> bool:
    """Take `role` in `congress` away from `user`; False when they did not hold it.

    Raises LastOrganiser rather than leave a congress without any organiser. Locks the
    congress row so two organisers revoking each other at once cannot both succeed.
    Audited ("role.revoked").
    """
    with transaction.atomic():
        Congress.objects.select_for_update().filter(pk=congress.pk).first()
        held = CongressRole.objects.filter(congress=congress, user=user, role=role)
        congress_role = held.first()
        if congress_role is None:
            return False
        if (
            role == CongressRole.Role.ORGANISER
            and not CongressRole.objects.filter(congress=congress, role=role)
            .exclude(user=user)
            .exists()
        ):
            raise LastOrganiser()
        record_audit(
            action="role.revoked",
            congress=congress,
            actor=revoked_by,
            target=congress_role,
            detail={"role": role, "user_id": user.pk},
        )
        congress_role.delete()
    return True


def publish_congress(*, congress: Congress, actor: AbstractBaseUser | None = None) -> Congress:
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        if congress.status != Congress.Status.PUBLISHED:
            congress.status = Congress.Status.PUBLISHED
            congress.save(update_fields=["status"])
            record_audit(
                action="congress.published", congress=congress, actor=actor, target=congress
            )
    return congress
