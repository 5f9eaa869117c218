"""Per-congress roles: the single place that says who may do what in which congress.

Views, API permission classes and the admin all ask these functions, so an organiser of
congress A can never see or change congress B, whatever door they come through.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

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


def can_see_congress(user: AbstractBaseUser | AnonymousUser | None, congress: Congress) -> bool:
    """The one visibility rule of a congress, for its pages and its API alike: a published
    congress is public; a draft or archived one exists only for its own staff (and
    superusers), so they can prepare and try it before it opens."""
    return congress.is_published or has_congress_role(user, congress)


def visible_congress_or_404(
    user: AbstractBaseUser | AnonymousUser | None,
    slug: str,
    queryset: QuerySet[Congress] | None = None,
) -> Congress:
    """The congress named `slug` if `can_see_congress` lets `user` see it; else Http404
    (never 403, so a draft's slug gives nothing away)."""
    queryset = queryset if queryset is not None else Congress.objects.all()
    congress = queryset.filter(slug=slug).first()
    if congress is None or not can_see_congress(user, congress):
        raise Http404
    return congress
