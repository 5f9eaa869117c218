from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction

from common.exceptions import ConflictError
from congress.models import AuditEvent, Congress, CongressRole


def record_audit(
    *,
    action: str,
    congress: Congress | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    target: models.Model | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit row. `detail` holds ids, counts and filters only, never personal data."""
    return AuditEvent.objects.create(
        congress=congress,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
    )


def grant_congress_role(
    *,
    congress: Congress,
    user: AbstractBaseUser,
    role: str,
    granted_by: AbstractBaseUser | None = None,
) -> CongressRole:
    """Give `user` a role in `congress`; granting a role twice returns the existing one."""
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
    return congress_role


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
