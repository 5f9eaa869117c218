"""The registry of every page, API endpoint and export that could show individuals.

`tests/privacy/test_protected_participants.py` runs one parametrised test over
ENDPOINTS x ROLES: it creates a protected participant (and an ordinary one, and a
participant of another congress), calls each endpoint as each role, and checks that the
protected person's legal name and e-mail appear only for the roles in
`protected_visible_to`. The same test checks contact data on its own (docs/congress.md:
reviewers and door staff get none): the ORDINARY participant's e-mail and payment reference
appear only for the roles in `contact_visible_to`. A second test fails when a URL pattern
whose name suggests it lists individuals (registrations, participants, attendance,
check-ins, exports) is missing here.

Each app adds its endpoints by appending one line at the end of this file, e.g.:

    ENDPOINTS.append(Endpoint("registrations:participants", lambda w: reverse(
        "registrations:participants", kwargs={"slug": w.congress.slug})))

Defaults: GET, shows individuals, only the congress's organisers may see protected people
and anyone's contact data.
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
    # Extras for registrations, programme and CFP pages (see the `world` fixture).
    protected_visa: object = None  # the protected person's approved visa-letter request
    ordinary_visa_token: str = ""  # verification token printed on `ordinary`'s letter
    bank_line: object = None  # an unreviewed bank line paying for `protected`
    session: object = None  # a published session; speakers: protected and ordinary person
    call: object = None  # a call for participation of `congress`
    protected_submission: object = None  # a proposal submitted by the protected person
    submission_token: str = ""  # private link of a proposal by the ordinary person


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
    # Roles for which the page MUST show the ordinary participant: proves a page that hides
    # the protected person from everyone (e.g. the public programme) still lists people.
    must_show_ordinary_to: frozenset = frozenset()
    # Roles allowed to see contact data (the ordinary participant's e-mail and payment
    # reference); least privilege: organisers of the congress only.
    contact_visible_to: frozenset = ORGANISERS_ONLY
    # Roles for which the endpoint MUST show that contact data (proves the check reaches it).
    must_show_contact_to: frozenset = frozenset()


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
ENDPOINTS.append(Endpoint("attendance:attendance", _congress_page("attendance:attendance")))
ENDPOINTS.append(Endpoint("attendance:attendance_pdf", _congress_page("attendance:attendance_pdf")))
ENDPOINTS.append(Endpoint("attendance:people_csv", _congress_page("attendance:people_csv")))

# --- registrations (privacy integration) ----------------------------------------------------
NOBODY = frozenset()
EVERYONE = frozenset(ROLES)


def _self_service(name: str, link: str = "participant_token") -> Callable[[World], str]:
    """A private page reached with a self-service token: by default the ORDINARY
    participant's token, so the page must never reveal the protected person."""
    return lambda world: reverse(name, kwargs={"token": getattr(world, link)})


def _manage(name: str, pk: Callable[[World], int], **extra: str) -> Callable[[World], str]:
    return lambda world: reverse(
        name, kwargs={"slug": world.congress.slug, "pk": pk(world), **extra}
    )


# Staff list (API): organisers only (it carries e-mails and payment references); reviewers
# and door staff get 403, as on the organisers' registration pages.
ENDPOINTS.append(
    Endpoint(
        "registration-list",
        _congress_page("registration-list"),
        must_show_to=ORGANISERS_ONLY,
        must_show_contact_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "registration-action",
        lambda w: reverse(
            "registration-action",
            kwargs={"slug": w.congress.slug, "pk": w.protected.pk, "action": "mark-paid"},
        ),
        method="POST",
        must_show_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_list",
        _congress_page("registrations:manage_list"),
        must_show_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_export",
        lambda w: (
            reverse("registrations:manage_export", kwargs={"slug": w.congress.slug})
            + "?file_format=csv&columns=name&columns=email"
        ),
        must_show_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_detail",
        _manage("registrations:manage_detail", lambda w: w.protected.pk),
        must_show_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_action",
        _manage("registrations:manage_action", lambda w: w.protected.pk, action="approve"),
        method="POST",
    )
)
# Bank lines show payment references only, never names.
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_bank",
        _congress_page("registrations:manage_bank"),
        protected_visible_to=NOBODY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_bank_resolve",
        _manage("registrations:manage_bank_resolve", lambda w: w.bank_line.pk),
        method="POST",
        protected_visible_to=NOBODY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_visa",
        _congress_page("registrations:manage_visa"),
        must_show_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_visa_action",
        _manage("registrations:manage_visa_action", lambda w: w.protected_visa.pk, action="reject"),
        method="POST",
    )
)
# The letter carries passport data: visa officers only (none of the roles here), see
# tests/privacy/test_audit_and_passports.py.
ENDPOINTS.append(
    Endpoint(
        "registrations:manage_visa_letter",
        _manage("registrations:manage_visa_letter", lambda w: w.protected_visa.pk),
        protected_visible_to=NOBODY,
    )
)
# Self-service pages: the ordinary participant's token shows only their own data.
for _name, _method in (
    ("registrations:self_service", "GET"),
    ("registrations:self_service_answers", "POST"),
    ("registrations:self_service_cancel", "POST"),
    ("registrations:self_service_pay", "POST"),
    ("registrations:self_service_accept_offer", "POST"),
    ("registrations:receipt", "GET"),
    ("registrations:visa_request", "GET"),
    ("registrations:visa_letter", "GET"),
    ("registrations:payment_success", "GET"),
    ("registrations:payment_cancelled", "GET"),
):
    # Whoever holds the private link sees that participant's own e-mail and reference.
    ENDPOINTS.append(
        Endpoint(
            _name,
            _self_service(_name),
            method=_method,
            protected_visible_to=NOBODY,
            contact_visible_to=EVERYONE,
        )
    )
# The public letter check shows the holder of THAT letter (the ordinary participant) only.
ENDPOINTS.append(
    Endpoint(
        "registrations:visa_verify",
        _self_service("registrations:visa_verify", link="ordinary_visa_token"),
        protected_visible_to=NOBODY,
        must_show_ordinary_to=EVERYONE,
    )
)
# Public forms: nobody is listed.
for _name in ("registrations:register", "registrations:register_group"):
    ENDPOINTS.append(Endpoint(_name, _congress_page(_name), shows_individuals=False))
ENDPOINTS.append(
    Endpoint(
        "registrations:fee_quote",
        lambda w: (
            reverse("registrations:fee_quote", kwargs={"slug": w.congress.slug})
            + f"?category={w.protected.category_id}"
        ),
        shows_individuals=False,
    )
)
# Registrations admin: configuration only, no people.
for _model in (
    "countrygroup",
    "question",
    "registrationcategory",
    "registrationsettings",
    "voucher",
):
    ENDPOINTS.append(
        Endpoint(
            f"admin:registrations_{_model}_changelist",
            _admin(f"registrations_{_model}"),
            shows_individuals=False,
        )
    )

# --- programme (public speaker lists never show protected or erased people) ------------------
for _name in ("sessions:programme", "sessions:programme-ical"):
    ENDPOINTS.append(
        Endpoint(
            _name,
            _congress_page(_name),
            protected_visible_to=NOBODY,
            must_show_ordinary_to=EVERYONE,
        )
    )
ENDPOINTS.append(
    Endpoint(
        "sessions:programme-search",
        lambda w: reverse("sessions:programme", kwargs={"slug": w.congress.slug}) + "?q=Zainab",
        protected_visible_to=NOBODY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "sessions:session",
        lambda w: reverse("sessions:session", kwargs={"slug": w.congress.slug, "pk": w.session.pk}),
        protected_visible_to=NOBODY,
        must_show_ordinary_to=EVERYONE,
    )
)
ENDPOINTS.append(
    Endpoint(
        "sessions:programme-pdf",
        _congress_page("sessions:programme-pdf"),
        protected_visible_to=NOBODY,
    )
)
ENDPOINTS.append(Endpoint("sessions:timetable", _congress_page("sessions:timetable")))
for _name in ("sessions:my-agenda", "sessions:my-agenda-ical", "sessions:my-agenda-pdf"):
    ENDPOINTS.append(Endpoint(_name, _congress_page(_name), protected_visible_to=NOBODY))
for _name in ("sessions:agenda", "sessions:agenda-ical", "sessions:agenda-pdf"):
    ENDPOINTS.append(Endpoint(_name, _self_service(_name), protected_visible_to=NOBODY))

# --- calls for participation ---------------------------------------------------------------
# Organisers see submitters (the protected person's proposal included); reviewers only
# see proposals assigned to them; the public pages and a submitter's link show nobody else.
ENDPOINTS.append(Endpoint("cfp:calls", _congress_page("cfp:calls"), shows_individuals=False))
ENDPOINTS.append(Endpoint("cfp:manage", _congress_page("cfp:manage")))
ENDPOINTS.append(
    Endpoint(
        "cfp:dashboard",
        lambda w: reverse(
            "cfp:dashboard", kwargs={"slug": w.congress.slug, "call_slug": w.call.slug}
        ),
        must_show_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "cfp:dashboard-csv",
        lambda w: (
            reverse("cfp:dashboard", kwargs={"slug": w.congress.slug, "call_slug": w.call.slug})
            + "?format=csv"
        ),
        must_show_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(
    Endpoint(
        "cfp:submission_manage",
        lambda w: reverse(
            "cfp:submission_manage",
            kwargs={"slug": w.congress.slug, "submission_id": w.protected_submission.pk},
        ),
        must_show_to=ORGANISERS_ONLY,
    )
)
ENDPOINTS.append(Endpoint("cfp:reviews", _congress_page("cfp:reviews")))
ENDPOINTS.append(
    Endpoint(
        "cfp:review",
        lambda w: reverse(
            "cfp:review",
            kwargs={"slug": w.congress.slug, "submission_id": w.protected_submission.pk},
        ),
    )
)
ENDPOINTS.append(
    Endpoint(
        "cfp:submission",
        _self_service("cfp:submission", link="submission_token"),
        protected_visible_to=NOBODY,
    )
)

# --- travel support ----------------------------------------------------------------------------
ENDPOINTS.append(
    Endpoint("travel:participant", _self_service("travel:participant"), protected_visible_to=NOBODY)
)
ENDPOINTS.append(Endpoint("travel:applications", _congress_page("travel:applications")))
ENDPOINTS.append(Endpoint("travel:accommodation", _congress_page("travel:accommodation")))
ENDPOINTS.append(Endpoint("travel:transfers", _congress_page("travel:transfers")))
# Protected participants are only counted in donor reports, unless the reader is the
# data-protection officer (not one of the harness's roles).
ENDPOINTS.append(
    Endpoint(
        "travel:donor_report",
        _congress_page("travel:donor_report"),
        protected_visible_to=NOBODY,
        covers=("travel:donor_report_export",),
    )
)
# Revoked badges (organisers): lists the people whose badge is held; with `q`, a search.
ENDPOINTS.append(
    Endpoint(
        "badges:revocations",
        lambda w: reverse("badges:revocations", kwargs={"slug": w.congress.slug}) + "?q=a",
    )
)
# The participant's own badge QR page (their private link): their own name only.
ENDPOINTS.append(
    Endpoint(
        "badges:self_badge_qr",
        lambda w: reverse("badges:self_badge_qr", kwargs={"token": w.participant_token}),
        shows_individuals=False,
    )
)
# Interpretation headsets: organisers see who holds a headset (names, phone numbers).
ENDPOINTS.append(Endpoint("badges:headsets", _congress_page("badges:headsets")))
# Invoices (issue 13): the participant's own invoices page and the organisers' invoice list.
ENDPOINTS.append(
    Endpoint(
        "registrations:self_service_invoices",
        _self_service("registrations:self_service_invoices"),
        protected_visible_to=NOBODY,
        contact_visible_to=EVERYONE,
    )
)
ENDPOINTS.append(
    Endpoint("registrations:manage_invoices", _congress_page("registrations:manage_invoices"))
)
ENDPOINTS.append(
    Endpoint(
        "congress-registration-questions",
        lambda w: reverse("congress-registration-questions", kwargs={"slug": w.congress.slug}),
        shows_individuals=False,
    )
)
