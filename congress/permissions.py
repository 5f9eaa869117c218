"""Per-congress roles: the single place that says who may do what in which congress.

Views, API permission classes and the admin all ask these functions, so an organiser of
congress A can never see or change congress B, whatever door they come through.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from congress.models import Congress, CongressRole

Role = CongressRole.Role
STAFF_ROLES = (Role.ORGANISER, Role.REVIEWER, Role.CHECKIN_STAFF)


def _is_active_user(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def congresses_for(
    user: AbstractBaseUser | AnonymousUser | None, *roles: str
) -> QuerySet[Congress]:
    """Congresses where `user` holds one of `roles` (any staff role when none is given)."""
    if not _is_active_user(user):
        return Congress.objects.none()
    if user.is_superuser:
        return Congress.objects.all()
    roles = roles or STAFF_ROLES
    return Congress.objects.filter(roles__user=user, roles__role__in=roles).distinct()


def has_congress_role(
    user: AbstractBaseUser | AnonymousUser | None, congress: Congress | int, *roles: str
) -> bool:
    if not _is_active_user(user):
        return False
    if user.is_superuser:
        return True
    congress_id = congress if isinstance(congress, int) else congress.pk
    roles = roles or STAFF_ROLES
    return CongressRole.objects.filter(user=user, congress_id=congress_id, role__in=roles).exists()


def is_organiser(user: AbstractBaseUser | AnonymousUser | None, congress: Congress | int) -> bool:
    return has_congress_role(user, congress, Role.ORGANISER)
