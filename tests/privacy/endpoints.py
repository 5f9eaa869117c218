"""The registry of every page, API endpoint and export that could show individuals.

`tests/privacy/test_protected_participants.py` runs one parametrised test over
ENDPOINTS x ROLES: it creates a protected participant (and an ordinary one, and a
participant of another congress), calls each endpoint as each role, and checks that the
protected person's legal name and e-mail appear only for the roles in
`protected_visible_to`. A second test fails when a URL pattern whose name suggests it lists
individuals (registrations, participants, attendance, check-ins, exports) is missing here.

Each app adds its endpoints by appending one line at the end of this file, e.g.:

    ENDPOINTS.append(Endpoint("registrations:participants", lambda w: reverse(
        "registrations:participants", kwargs={"slug": w.congress.slug})))

Defaults: GET, shows individuals, only the congress's organisers may see protected people.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

# Every role the harness calls each endpoint as.
ANONYMOUS = "anonymous"
PARTICIPANT = "participant"  # an ordinary registrant using their self-service token
CHECKIN_STAFF = "checkin_staff"
REVIEWER = "reviewer"
OTHER_ORGANISER = "other_organiser"  # organiser of another congress
ORGANISER = "organiser"
ROLES = (ANONYMOUS, PARTICIPANT, CHECKIN_STAFF, REVIEWER, OTHER_ORGANISER, ORGANISER)

# The only role that, by default, may see protected participants listed individually.
ORGANISERS_ONLY = frozenset({ORGANISER})


@dataclass(frozen=True)
class World:
    """What the harness created; URL builders read slugs, ids and tokens from it."""

    congress: object
    other_congress: object
    protected: object  # the protected participant's Registration
    ordinary: object  # an ordinary Registration in the same congress
    foreign: object  # a Registration in the other congress
    participant_token: str  # self-service token of `ordinary`
    protected_token: str  # self-service token of `protected`


@dataclass(frozen=True)
class Endpoint:
    # The URL pattern name (namespaced); also the test id and what the coverage guard checks.
    name: str
    url: Callable[[World], str]
    method: str = "GET"
    shows_individuals: bool = True
    # Roles allowed to see the protected participant's name and e-mail here.
    protected_visible_to: frozenset = ORGANISERS_ONLY
    # Roles for which the endpoint MUST show the protected participant (proves the harness
    # reaches the data; leave empty when the page never lists them, e.g. superuser-only).
    must_show_to: frozenset = frozenset()
    # Other URL names this entry also stands for (e.g. the CSV and XLSX variants).
    covers: tuple[str, ...] = ()
    data: dict = field(default_factory=dict)


def _admin(model: str) -> Callable[[World], str]:
    return lambda world: reverse(f"admin:{model}_changelist")


def _congress_page(name: str) -> Callable[[World], str]:
    return lambda world: reverse(name, kwargs={"slug": world.congress.slug})


ENDPOINTS: list[Endpoint] = [
    # Core pages: they never list individuals, so nobody may see the protected person.
    Endpoint("congress:home", lambda world: reverse("congress:home"), shows_individuals=False),
    Endpoint("congress:detail", _congress_page("congress:detail"), shows_individuals=False),
    Endpoint("congress:manage", _congress_page("congress:manage"), shows_individuals=False),
    Endpoint("congress-list", lambda world: reverse("congress-list"), shows_individuals=False),
    Endpoint("congress-detail", _congress_page("congress-detail"), shows_individuals=False),
    # Privacy pages.
    Endpoint("privacy:audit-log", _congress_page("privacy:audit-log"), shows_individuals=False),
    # Erasure requests are for data protection officers only, not for any role here.
    Endpoint(
        "privacy:erasure-requests",
        _congress_page("privacy:erasure-requests"),
        protected_visible_to=frozenset(),
    ),
    # Admin: people span congresses, so only superusers list them.
    Endpoint(
        "admin:members_person_changelist",
        _admin("members_person"),
        protected_visible_to=frozenset(),
    ),
    # Registrations admin: organisers of the congress see everyone, protected included.
    Endpoint(
        "admin:registrations_registration_changelist",
        _admin("registrations_registration"),
        must_show_to=ORGANISERS_ONLY,
    ),
]

# --- apps append their endpoints below, one line each ---------------------------------------
# Badges and check-in. The scanner pages load people only through the API below; the offline
# list carries salted token hashes and categories, no names. Scanning a protected
# participant's token (checkin-create, checkin-batch) answers with the badge name only:
# tests/badges/test_api.py::test_checkin_api_protected_participant_shows_only_badge_name.
ENDPOINTS.append(
    Endpoint("badges:checkin", lambda w: reverse("badges:checkin"), shows_individuals=False)
)
ENDPOINTS.append(
    Endpoint(
        "badges:checkin_for_congress",
        _congress_page("badges:checkin_for_congress"),
        shows_individuals=False,
    )
)
ENDPOINTS.append(
    Endpoint("badges:checkin_desk", _congress_page("badges:checkin_desk"), shows_individuals=False)
)
ENDPOINTS.append(
    Endpoint(
        "checkin-offline-list", _congress_page("checkin-offline-list"), shows_individuals=False
    )
)
ENDPOINTS.append(
    Endpoint(
        "checkin-search",
        lambda w: (
            reverse("checkin-search", kwargs={"slug": w.congress.slug})
            + "?q="
            + w.protected.person.name
        ),
        covers=("checkin-create", "checkin-batch"),
    )
)
ENDPOINTS.append(
    Endpoint(
        "registration-badge", lambda w: reverse("registration-badge", kwargs={"pk": w.protected.pk})
    )
)
# Attendance reports: organisers see people (protected ones marked); everyone else aggregates.
ENDPOINTS.append(
    Endpoint(
        "attendance-report",
        lambda w: reverse("attendance-report", kwargs={"slug": w.congress.slug}) + "?detail=people",
    )
)
ENDPOINTS.append(Endpoint("reports:attendance", _congress_page("reports:attendance")))
ENDPOINTS.append(Endpoint("reports:attendance_pdf", _congress_page("reports:attendance_pdf")))
ENDPOINTS.append(Endpoint("reports:people_csv", _congress_page("reports:people_csv")))
