"""Per-congress roles: the single place that says who may do what in which congress.

Views, API permission classes and the admin all ask these functions, so an organiser of
congress A can never see or change congress B, whatever door they come through. Every
congress page and API view finds its congress with `congress_for_request` (slug, role,
published check, 404).
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from common.prepared import PreparedQuery
from congress.models import Congress, CongressRole
from members.models import Network, NetworkAdministrator

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


def roles_held(
    user: AbstractBaseUser | AnonymousUser | None, congress: Congress | int
) -> frozenset:
    """Every role `user` holds in `congress`, in one query (every role for a superuser)."""
    if not _is_active_user(user):
        return frozenset()
    if user.is_superuser:
        return frozenset(Role.values)
    congress_id = congress if isinstance(congress, int) else congress.pk
    return frozenset(
        CongressRole.objects.filter(user=user, congress_id=congress_id).values_list(
            "role", flat=True
        )
    )


def is_organiser(user: AbstractBaseUser | AnonymousUser | None, congress: Congress | int) -> bool:
    return has_congress_role(user, congress, Role.ORGANISER)


def can_see_congress(user: AbstractBaseUser | AnonymousUser | None, congress: Congress) -> bool:
    """The one visibility rule of a congress, for its pages and its API alike: a published
    congress is public; a draft or archived one exists only for its own staff (and
    superusers), so they can prepare and try it before it opens."""
    return congress.is_published or has_congress_role(user, congress)


def check_congress_access(request: HttpRequest, congress: Congress, *roles: str) -> None:
    """Raise Http404 unless `request.user` may open this congress's page.

    Without `roles` the page is public: `can_see_congress`. With `roles` it is a staff page:
    the user must hold one of them in this congress (superusers hold every role), whatever
    the congress's status. Refusal is always 404, never 403, so a slug tells someone
    outside the congress nothing (not even that a draft exists). For the rare caller that
    has loaded the congress already; pages call `congress_for_request`.
    """
    allowed = (
        has_congress_role(request.user, congress, *roles)
        if roles
        else can_see_congress(request.user, congress)
    )
    if not allowed:
        raise Http404


# Compiled once per connection (common.prepared): every congress page and API call runs it.
_congress_by_slug = PreparedQuery(
    lambda slug: Congress.objects.filter(slug=slug).order_by(), slug="prepared%_slug"
)


def congress_for_request(
    request: HttpRequest,
    slug: str,
    *roles: str,
    queryset: QuerySet[Congress] | None = None,
) -> Congress:
    """The congress named `slug` if `request.user` may open it; else Http404.

    The one access check of every congress page and API view (the API's
    `CongressScopedMixin` calls it too): public when no role is given, else the user must
    hold one of `roles` in that congress (`check_congress_access`). `queryset` lets a page
    load the congress with what it shows (tracks, counts); it is filtered by slug here.

    On a page (not the API, whose datetimes stay in UTC as its clients expect) the congress's
    time zone becomes the current one for the rest of the request: every datetime a template
    shows and every plain `DateTimeField` a form reads is in the congress's local time.
    `congress.middleware.CongressTimeZoneMiddleware` resets it after the request.
    """
    if queryset is None:
        congress = _congress_by_slug.first(slug=slug)
    else:
        congress = queryset.filter(slug=slug).first()
    if congress is None:
        raise Http404
    check_congress_access(request, congress, *roles)
    if not _is_api_request(request):
        timezone.activate(congress.tzinfo)
    return congress


def _is_api_request(request: HttpRequest) -> bool:
    # DRF wraps the HttpRequest in its own Request (with `_request`); API answers keep UTC.
    return hasattr(request, "_request") and hasattr(request, "accepted_renderer")


# Network administrators -----------------------------------------------------------------------
# A network-level role (members.NetworkAdministrator), not a congress role: it creates the
# network's congresses (becoming their first organiser) and manages member organisations,
# memberships and the network's staff. Superusers count as administrators of every network.


def networks_administered(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[Network]:
    """The networks `user` administers (every network for a superuser)."""
    if not _is_active_user(user):
        return Network.objects.none()
    if user.is_superuser:
        return Network.objects.all()
    return Network.objects.filter(administrators__user=user)


def is_network_administrator(
    user: AbstractBaseUser | AnonymousUser | None, network: Network | None = None
) -> bool:
    """True when `user` administers `network` (any network when none is given)."""
    if not _is_active_user(user):
        return False
    if user.is_superuser:
        return True
    administrations = NetworkAdministrator.objects.filter(user=user)
    if network is not None:
        administrations = administrations.filter(network=network)
    return administrations.exists()


def network_for_request(request: HttpRequest, slug: str) -> Network:
    """The network named `slug` if `request.user` administers it; else Http404."""
    try:
        return networks_administered(request.user).get(slug=slug)
    except Network.DoesNotExist:
        raise Http404 from None
