"""Links that the apps above `congress` add to congress pages.

`congress` sits below registrations, the programme, cfp, badges, attendance and privacy (see
docs/architecture.md), so those apps register their links here from their AppConfig.ready();
the public congress page and the organiser dashboard show them. Example, in
registrations/apps.py:

    register_congress_link(
        audience=Audience.PUBLIC, label=_("Register"), url_name="registrations:register"
    )
"""

from dataclasses import dataclass
from enum import Enum

from django.urls import reverse
from django.utils.functional import Promise

from congress.permissions import STAFF_ROLES, roles_held


class Audience(Enum):
    PUBLIC = "public"  # on the public congress page, for everybody
    STAFF = "staff"  # on the organiser dashboard, for holders of `roles`


@dataclass(frozen=True)
class CongressLink:
    audience: Audience
    label: str | Promise
    url_name: str
    roles: tuple[str, ...] = ()
    order: int = 100


_links: list[CongressLink] = []


def register_congress_link(
    *,
    audience: Audience,
    label: str | Promise,
    url_name: str,
    roles: tuple[str, ...] = (),
    order: int = 100,
) -> None:
    link = CongressLink(audience, label, url_name, tuple(roles), order)
    if link not in _links:
        _links.append(link)


def links_for(*, audience: Audience, congress, user) -> list[dict]:
    """Resolved links for one congress page; staff links only for the roles they name."""
    links = []
    # The user's roles are read once for the whole menu, not once per link.
    held = roles_held(user, congress) if audience is Audience.STAFF else frozenset()
    for link in sorted(_links, key=lambda item: (item.order, str(item.label))):
        if link.audience != audience:
            continue
        if audience is Audience.STAFF and not held & set(link.roles or STAFF_ROLES):
            continue
        links.append(
            {"label": link.label, "url": reverse(link.url_name, kwargs={"slug": congress.slug})}
        )
    return links
