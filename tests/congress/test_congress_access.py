"""The one access check of congress pages and API views: `congress_for_request`."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from congress.models import Congress, CongressRole
from congress.permissions import congress_for_request
from tests.factories.congress import CongressFactory, CongressRoleFactory, TrackFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

Role = CongressRole.Role


def _request(user=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def _staff(congress, role=Role.ORGANISER):
    return CongressRoleFactory(congress=congress, role=role).user


def _outcome(request, slug, *roles):
    """The congress's slug when the helper lets the request in, else "404"."""
    try:
        return congress_for_request(request, slug, *roles).slug
    except Http404:
        return "404"


def test_public_page_of_a_published_congress_is_open_to_anyone():
    CongressFactory(slug="lyon-2027")

    assert _outcome(_request(), "lyon-2027") == "lyon-2027"


@pytest.mark.parametrize("status", [Congress.Status.DRAFT, Congress.Status.ARCHIVED])
def test_public_page_of_an_unpublished_congress_is_not_found_for_the_public(status):
    CongressFactory(slug="draft-2027", status=status)

    assert _outcome(_request(), "draft-2027") == "404"


def test_public_page_of_a_draft_is_not_found_for_staff_of_another_congress():
    CongressFactory(slug="draft-2027", status=Congress.Status.DRAFT)
    outsider = _staff(CongressFactory())

    assert _outcome(_request(outsider), "draft-2027") == "404"


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.REVIEWER, Role.CHECKIN_STAFF])
def test_public_page_of_a_draft_is_open_to_its_own_staff(role):
    draft = CongressFactory(slug="draft-2027", status=Congress.Status.DRAFT)

    assert _outcome(_request(_staff(draft, role)), "draft-2027") == "draft-2027"


def test_unknown_slug_is_not_found():
    assert _outcome(_request(UserFactory(is_superuser=True)), "nowhere") == "404"


def test_staff_page_is_open_to_a_holder_of_the_role_even_in_a_draft():
    draft = CongressFactory(slug="draft-2027", status=Congress.Status.DRAFT)

    assert _outcome(_request(_staff(draft)), "draft-2027", Role.ORGANISER) == "draft-2027"


def test_staff_page_accepts_any_of_the_roles_given():
    congress = CongressFactory(slug="lyon-2027")
    reviewer = _staff(congress, Role.REVIEWER)

    assert _outcome(_request(reviewer), "lyon-2027", Role.ORGANISER, Role.REVIEWER) == "lyon-2027"


def test_staff_page_is_not_found_for_staff_of_another_congress():
    CongressFactory(slug="lyon-2027")
    outsider = _staff(CongressFactory())

    assert _outcome(_request(outsider), "lyon-2027", Role.ORGANISER) == "404"


def test_staff_page_is_not_found_when_the_role_is_missing():
    congress = CongressFactory(slug="lyon-2027")
    door = _staff(congress, Role.CHECKIN_STAFF)

    assert _outcome(_request(door), "lyon-2027", Role.ORGANISER) == "404"


def test_staff_page_is_not_found_for_the_public():
    CongressFactory(slug="lyon-2027")

    assert _outcome(_request(), "lyon-2027", Role.ORGANISER) == "404"


def test_staff_page_is_not_found_for_a_deactivated_organiser():
    congress = CongressFactory(slug="lyon-2027")
    organiser = _staff(congress)
    organiser.is_active = False
    organiser.save()

    assert _outcome(_request(organiser), "lyon-2027", Role.ORGANISER) == "404"


def test_superuser_holds_every_role_of_every_congress():
    CongressFactory(slug="draft-2027", status=Congress.Status.DRAFT)
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert _outcome(_request(superuser), "draft-2027", Role.DATA_PROTECTION) == "draft-2027"


def test_the_page_may_load_the_congress_with_what_it_shows():
    congress = CongressFactory(slug="lyon-2027")
    TrackFactory.create_batch(2, congress=congress)
    queryset = Congress.objects.annotate(track_total=Count("tracks"))

    found = congress_for_request(_request(_staff(congress)), "lyon-2027", queryset=queryset)

    assert found.track_total == 2


# --- every congress URL, pages and API ------------------------------------------------------
# Placeholder values for the other parts of congress URLs; the objects need not exist.
OTHER_KWARGS = {
    "pk": 1,
    "file_id": 1,
    "submission_id": 1,
    "call_slug": "call",
    "action": "approve",
    "call_pk": 1,
    "category_pk": 1,
    "file_format": "xlsx",  # travel exports and rooming lists
    "hotel": 1,
    "token": "not-a-token",
    "invitation_id": 1,
    "user_id": 1,
    "role": "reviewer",
}


def _slug_url_names(resolver: URLResolver, namespace: str = "") -> set[tuple[str, tuple]]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _slug_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            keys = tuple(sorted(pattern.pattern.converters))
            if "slug" in keys and str(pattern.pattern).startswith(("congresses/", "checkin/")):
                names.add((f"{namespace}{pattern.name}", keys))
    return names


CONGRESS_URLS = sorted(_slug_url_names(get_resolver()))


def test_the_url_list_below_finds_the_congress_pages_and_api():
    names = {name for name, _keys in CONGRESS_URLS}

    assert {"congress:manage", "registrations:manage_list", "checkin-create"} <= names


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "keys"), CONGRESS_URLS, ids=[name for name, _k in CONGRESS_URLS])
def test_a_draft_of_another_congress_answers_like_a_slug_that_does_not_exist(name, keys, method):
    """Staff of congress A learn nothing about a draft congress B from any page or API
    view of B: each answers exactly as it does for a slug that names no congress."""
    CongressFactory(slug="secret-draft", status=Congress.Status.DRAFT)
    client = Client()
    client.force_login(_staff(CongressFactory()))
    extra = {key: OTHER_KWARGS[key] for key in keys if key != "slug"}

    def status(slug: str) -> int:
        url = reverse(name, kwargs={"slug": slug, **extra})
        return getattr(client, method)(url).status_code

    assert status("secret-draft") == status("no-such-congress")
