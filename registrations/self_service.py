"""The participant's private self-service page and the links other apps add to it.

A registrant reaches their page through a private link carrying a random token; only the
token's SHA-256 hash is stored. Apps to the right (badges, attendance) add links with
`register_self_service_link(label=..., url_name=...)`; the URL is reversed with
kwargs={"token": <the raw token>} so their view can call `registration_for_access_token`.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise

from common.tokens import hash_token, make_token
from registrations.models import Registration


@dataclass(frozen=True)
class SelfServiceLink:
    label: str | Promise
    url_name: str
    order: int = 100


_links: list[SelfServiceLink] = []


def register_self_service_link(*, label: str | Promise, url_name: str, order: int = 100) -> None:
    link = SelfServiceLink(label, url_name, order)
    if link not in _links:
        _links.append(link)


def self_service_links() -> list[SelfServiceLink]:
    return sorted(_links, key=lambda link: (link.order, link.url_name))


def issue_access_token(*, registration: Registration) -> str:
    """Give the registration a new private access token and return it (shown/mailed once).

    The previous token stops working. Only the hash is stored.
    """
    token = make_token()
    registration.access_token_hash = hash_token(token)
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(
            access_token_hash=registration.access_token_hash
        )
    return token


def registration_for_access_token(*, token: str) -> Registration | None:
    """The registration this private link belongs to, or None for an unknown token.

    Lookup is by hash (an index hit), so the comparison leaks no timing on the token itself.
    """
    if not token or len(token) > 128:
        return None
    return (
        Registration.objects.select_related("congress", "person", "category")
        .filter(access_token_hash=hash_token(token))
        .first()
    )
