"""Protected participants never show up where they should not (see tests/privacy/endpoints.py
and docs/privacy.md)."""

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver

from common.tokens import hash_token
from congress.models import CongressRole
from registrations.models import BankStatementImport, BankTransferLine, Registration
from registrations.self_service import issue_access_token
from registrations.services.visa import approve_visa_letter, request_visa_letter
from tests.factories.cfp import CallFactory, SubmissionFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import UserFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory, SessionSpeakerFactory
from tests.privacy.endpoints import (
    ANONYMOUS,
    CHECKIN_STAFF,
    ENDPOINTS,
    ORGANISER,
    OTHER_ORGANISER,
    PARTICIPANT,
    REVIEWER,
    ROLES,
    World,
)

PROTECTED_NAME = "Zainab Qasimova"
PROTECTED_LATIN_NAME = "Zainab Qasimova-Latin"
PROTECTED_EMAIL = "zainab.qasimova@example.org"
ORDINARY_NAME = "Tomasz Nowicki"
ORDINARY_EMAIL = "tomasz.nowicki@example.org"
ORDINARY_REFERENCE = "REG-TN7KQ2M9"
PROTECTED_PASSPORT = {
    "full_name": PROTECTED_NAME,
    "nationality": "AZ",
    "passport_number": "C01234567",
    "date_of_birth": "1980-01-01",
    "expires_on": "2030-01-01",
}

# URL names that look like they list individuals; each must be in the registry.
LISTING_NAME = re.compile(r"registration|participant|attendance|checkin|check-in|export", re.I)
# Admin add/change/delete/history pages show one object, not a list: only changelists count.
ADMIN_SINGLE_OBJECT = re.compile(r"^admin:.*_(add|change|delete|history)$")


@pytest.fixture
def world(db) -> World:
    congress = CongressFactory()
    other_congress = CongressFactory()
    protected = RegistrationFactory(
        congress=congress,
        person__name=PROTECTED_NAME,
        person__latin_name=PROTECTED_LATIN_NAME,
        person__email=PROTECTED_EMAIL,
        is_protected=True,
        list_visibility=Registration.ListVisibility.PUBLIC,
        badge_display_name="Rose",
        hide_organisation_on_badge=True,
    )
    ordinary = RegistrationFactory(
        congress=congress,
        person__name=ORDINARY_NAME,
        person__email=ORDINARY_EMAIL,
        payment_reference=ORDINARY_REFERENCE,
        list_visibility=Registration.ListVisibility.PUBLIC,
    )
    foreign = RegistrationFactory(congress=other_congress)
    visa_officer = UserFactory()
    protected_visa, _token = approve_visa_letter(
        visa=request_visa_letter(registration=protected, passport=PROTECTED_PASSPORT),
        actor=visa_officer,
    )
    _visa, ordinary_visa_token = approve_visa_letter(
        visa=request_visa_letter(
            registration=ordinary, passport={**PROTECTED_PASSPORT, "full_name": ORDINARY_NAME}
        ),
        actor=visa_officer,
    )
    bank_line = BankTransferLine.objects.create(
        congress=congress,
        statement=BankStatementImport.objects.create(congress=congress, file_name="bank.csv"),
        line_key="line-1",
        booked_on=congress.starts_on,
        amount_minor=100,
        currency="EUR",
        reference_text=protected.payment_reference,
        outcome=BankTransferLine.Outcome.PARTIAL,
        registration=protected,
    )
    session = SessionFactory(congress=congress)
    SessionSpeakerFactory(session=session, person=protected.person)
    SessionSpeakerFactory(session=session, person=ordinary.person)
    call = CallFactory(congress=congress)
    protected_submission = SubmissionFactory(call=call, submitter=protected.person)
    submission_token = "ordinary-submission-token"
    SubmissionFactory(
        call=call, submitter=ordinary.person, access_token_hash=hash_token(submission_token)
    )
    return World(
        congress=congress,
        other_congress=other_congress,
        protected=protected,
        ordinary=ordinary,
        foreign=foreign,
        participant_token=issue_access_token(registration=ordinary),
        protected_token=issue_access_token(registration=protected),
        protected_visa=protected_visa,
        ordinary_visa_token=ordinary_visa_token,
        bank_line=bank_line,
        session=session,
        call=call,
        protected_submission=protected_submission,
        submission_token=submission_token,
    )


def _client_for(role: str, world: World) -> Client:
    client = Client()
    staff_roles = {
        CHECKIN_STAFF: (world.congress, CongressRole.Role.CHECKIN_STAFF),
        REVIEWER: (world.congress, CongressRole.Role.REVIEWER),
        OTHER_ORGANISER: (world.other_congress, CongressRole.Role.ORGANISER),
        ORGANISER: (world.congress, CongressRole.Role.ORGANISER),
    }
    if role in staff_roles:
        congress, congress_role = staff_roles[role]
        client.force_login(CongressRoleFactory(congress=congress, role=congress_role).user)
    # ANONYMOUS and PARTICIPANT have no account: a participant reaches their own pages
    # through the self-service token the URL builder puts in the URL.
    assert role in {ANONYMOUS, PARTICIPANT, *staff_roles}
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_protected_participant_appears_only_where_allowed(world, endpoint, role):
    try:
        url = endpoint.url(world)
    except NoReverseMatch:
        pytest.skip(f"{endpoint.name} is not routed on this branch (its app is not merged)")
    client = _client_for(role, world)

    response = client.generic(endpoint.method, url, data=endpoint.data or "")
    if endpoint.method == "GET" and response.status_code == 302 and "/~" in response["Location"]:
        # A private link first trades its token for a cookie (common.private_links).
        response = client.get(response["Location"])

    body = response.getvalue().decode(errors="replace")
    assert response.status_code < 500, body[:500]
    shown = [
        text for text in (PROTECTED_NAME, PROTECTED_LATIN_NAME, PROTECTED_EMAIL) if text in body
    ]
    if not endpoint.shows_individuals or role not in endpoint.protected_visible_to:
        assert shown == [], f"{endpoint.name} shows a protected participant to {role}"
    if role in endpoint.must_show_to:
        assert PROTECTED_NAME in body, f"{endpoint.name} did not reach the data as {role}"
    if role in endpoint.must_show_ordinary_to:
        assert ORDINARY_NAME in body, f"{endpoint.name} did not list people as {role}"
    contact = [text for text in (ORDINARY_EMAIL, ORDINARY_REFERENCE) if text in body]
    if not endpoint.shows_individuals or role not in endpoint.contact_visible_to:
        assert contact == [], f"{endpoint.name} shows contact data to {role}"
    if role in endpoint.must_show_contact_to:
        assert contact == [ORDINARY_EMAIL, ORDINARY_REFERENCE], (
            f"{endpoint.name} did not reach the contact data as {role}"
        )


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_listing_individuals_is_in_the_registry():
    registered = {endpoint.name for endpoint in ENDPOINTS}
    registered |= {name for endpoint in ENDPOINTS for name in endpoint.covers}
    candidates = {
        name
        for name in _url_names(get_resolver())
        # The URL's own name, not its namespace (every attendance page is "attendance:...").
        if LISTING_NAME.search(name.rsplit(":", 1)[-1]) and not ADMIN_SINGLE_OBJECT.match(name)
    }

    missing = sorted(candidates - registered)

    assert missing == [], (
        "These URLs look like they show individuals but are not in "
        f"tests/privacy/endpoints.py: {', '.join(missing)}"
    )
