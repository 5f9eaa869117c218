"""Bulk views and exports of personal data leave an audit row; passport data reaches visa
officers only; erasure reaches every app that keeps data about a person."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from badges.models import Credential
from badges.services import ensure_credential
from congress.models import AuditEvent, CongressRole
from privacy.audit_display import resource_label
from privacy.erasure import ERASED_NAME, erase_person
from registrations.models import Registration
from registrations.services.visa import approve_visa_letter, request_visa_letter
from sessions.queries import programme_sessions
from tests.factories.badges import BadgeTemplateFactory
from tests.factories.cfp import CallFactory, SubmissionFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import UserFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory, SessionSignupFactory, SessionSpeakerFactory
from tests.privacy.endpoints import ENDPOINTS, ORGANISER

pytestmark = pytest.mark.django_db

PASSPORT = {
    "full_name": "LEYLA MAMMADOVA",
    "nationality": "AZ",
    "passport_number": "C98765432",
    "date_of_birth": "1979-03-04",
    "expires_on": "2031-01-01",
}


@pytest.fixture
def congress():
    return CongressFactory()


@pytest.fixture
def registration(congress):
    registration = RegistrationFactory(congress=congress, person__name="Leyla Mammadova")
    ensure_credential(registration=registration)
    return registration


@pytest.fixture
def visa(registration):
    visa = request_visa_letter(registration=registration, passport=PASSPORT)
    return approve_visa_letter(visa=visa, actor=UserFactory())[0]


@pytest.fixture
def organiser(congress):
    user = CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user
    CongressRoleFactory(congress=congress, user=user, role=CongressRole.Role.VISA_OFFICER)
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(name: str, **kwargs):
    """A GET of the congress page or API endpoint `name` as the organiser."""

    def access(c, r, v, u, query=None):
        return _client(u).get(reverse(name, kwargs={"slug": c.slug, **kwargs}), query or {})

    return access


def _staff_list(c, r, v, u):
    return _get("registrations:manage_list")(c, r, v, u)


def _api_list(c, r, v, u):
    return _get("registration-list")(c, r, v, u)


def _export(c, r, v, u):
    return _get("registrations:manage_export")(
        c, r, v, u, {"file_format": "xlsx", "columns": ["name"]}
    )


def _detail(c, r, v, u):
    return _get("registrations:manage_detail", pk=r.pk)(c, r, v, u)


def _visa_list(c, r, v, u):
    return _get("registrations:manage_visa")(c, r, v, u)


def _visa_letter(c, r, v, u):
    return _get("registrations:manage_visa_letter", pk=v.pk)(c, r, v, u)


def _badge_api(c, r, v, u):
    return _client(u).get(reverse("registration-badge", kwargs={"pk": r.pk}))


def _badge_print(c, r, v, u):
    return _get("badges:print")(c, r, v, u, {"download": "1"})


def _badge_admin(c, r, v, u):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    credential = Credential.objects.get(registration=r)
    return _client(superuser).post(
        reverse("admin:badges_credential_changelist"),
        {"action": "download_badges", "_selected_action": [credential.pk]},
    )


def _badge_admin_preview(c, r, v, u):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    template = BadgeTemplateFactory(congress=c)
    return _client(superuser).post(
        reverse("admin:badges_badgetemplate_changelist"),
        {"action": "preview_badges", "_selected_action": [template.pk]},
    )


def _admin_list(name: str):
    def access(c, r, v, u):
        SessionSignupFactory(session__congress=c, registration=r)
        return _client(u).get(reverse(name))

    access.__name__ = name.split(":")[1].removesuffix("_changelist")
    return access


def _render_badges(c, r, v, u, tmp_path=None):
    call_command("render_badges", c.slug, "--out", str(tmp_path / "badges.pdf"))


def _scan_log_page(c, r, v, u):
    return _get("badges:scan_log")(c, r, v, u)


def _scan_log_api(c, r, v, u):
    return _get("scan-log")(c, r, v, u)


def _door_search(c, r, v, u):
    return _get("checkin-search")(c, r, v, u, {"q": "Leyla"})


def _attendance_page(c, r, v, u):
    return _get("attendance:attendance")(c, r, v, u)


def _attendance_csv(c, r, v, u):
    return _get("attendance:people_csv")(c, r, v, u)


def _attendance_api(output: str):
    def access(c, r, v, u):
        return _get("attendance-report")(c, r, v, u, {"detail": "people", "format": output})

    access.__name__ = f"attendance_api_{output}"
    return access


def _submission(c, r):
    return SubmissionFactory(call=CallFactory(congress=c), submitter=r.person)


def _cfp_dashboard(c, r, v, u):
    call_slug = _submission(c, r).call.slug
    return _get("cfp:dashboard", call_slug=call_slug)(c, r, v, u)


def _cfp_export(c, r, v, u):
    call_slug = _submission(c, r).call.slug
    return _get("cfp:dashboard", call_slug=call_slug)(c, r, v, u, {"format": "csv"})


def _cfp_submission(c, r, v, u):
    submission_id = _submission(c, r).pk
    return _get("cfp:submission_manage", submission_id=submission_id)(c, r, v, u)


def _cfp_api_list(c, r, v, u):
    _submission(c, r)
    return _get("congress-submissions")(c, r, v, u)


def _erasure_requests(c, r, v, u):
    officer = CongressRoleFactory(congress=c, role=CongressRole.Role.DATA_PROTECTION).user
    return _get("privacy:erasure-requests")(c, r, v, officer)


# Every page, API endpoint, export, admin action and command that shows staff individuals,
# with the one audit row it writes: (action, resource). The resource is the URL name that
# served the data; "command:<name>" and "admin:<app>_<model>_<action>" for the other doors.
AUDITED_ACCESS = [
    (_staff_list, ("personal_data.list", "registrations:manage_list")),
    (_api_list, ("personal_data.list", "registration-list")),
    (_export, ("personal_data.export", "registrations:manage_export")),
    (_detail, ("personal_data.view", "registrations:manage_detail")),
    (_visa_list, ("personal_data.visa_file", "registrations:manage_visa")),
    (_visa_letter, ("personal_data.visa_file", "registrations:manage_visa_letter")),
    (_badge_api, ("personal_data.badge_pdf", "registration-badge")),
    (_badge_print, ("personal_data.badge_pdf", "badges:print")),
    (_badge_admin, ("personal_data.badge_pdf", "admin:badges_credential_download_badges")),
    (
        _badge_admin_preview,
        ("personal_data.badge_pdf", "admin:badges_badgetemplate_preview_badges"),
    ),
    (_render_badges, ("personal_data.badge_pdf", "command:render_badges")),
    (_scan_log_page, ("personal_data.list", "badges:scan_log")),
    (_scan_log_api, ("personal_data.list", "scan-log")),
    (_door_search, ("personal_data.list", "checkin-search")),
    (_attendance_page, ("personal_data.list", "attendance:attendance")),
    (_attendance_csv, ("personal_data.export", "attendance:people_csv")),
    (_attendance_api("json"), ("personal_data.export", "attendance-report")),
    (_attendance_api("csv"), ("personal_data.export", "attendance-report")),
    (_attendance_api("xlsx"), ("personal_data.export", "attendance-report")),
    (_cfp_dashboard, ("personal_data.list", "cfp:dashboard")),
    (_cfp_export, ("personal_data.export", "cfp:dashboard")),
    (_cfp_submission, ("personal_data.view", "cfp:submission_manage")),
    (_cfp_api_list, ("personal_data.list", "congress-submissions")),
    (_erasure_requests, ("personal_data.list", "privacy:erasure-requests")),
    (
        _admin_list("admin:registrations_registration_changelist"),
        ("personal_data.list", "admin:registrations_registration_changelist"),
    ),
    (
        _admin_list("admin:badges_credential_changelist"),
        ("personal_data.list", "admin:badges_credential_changelist"),
    ),
    (
        _admin_list("admin:programme_sessionsignup_changelist"),
        ("personal_data.list", "admin:programme_sessionsignup_changelist"),
    ),
]


def _access_id(value) -> str:
    return value.__name__.strip("_") if callable(value) else ""


@pytest.mark.parametrize(("access", "expected"), AUDITED_ACCESS, ids=_access_id)
def test_audit_rows_written_for_every_export(
    access, expected, congress, registration, visa, organiser, tmp_path
):
    kwargs = {"tmp_path": tmp_path} if access is _render_badges else {}

    response = access(congress, registration, visa, organiser, **kwargs)

    status = None if response is None else response.status_code
    if response is not None and response.streaming:
        b"".join(response.streaming_content)  # read to the end: closes the temporary file
    assert status in (None, 200)
    rows = [
        (event.action, event.detail.get("resource"))
        for event in AuditEvent.objects.filter(congress=congress).order_by("id")
        if event.action.startswith("personal_data.")
    ]
    assert rows == [expected]  # exactly one row: nothing is logged twice


def test_every_endpoint_showing_organisers_individuals_is_audited():
    """Each entry of the privacy registry (tests/privacy/endpoints.py) where organisers must
    see people is in AUDITED_ACCESS, so a new list or export cannot go unrecorded."""
    audited = {resource for _access, (_action, resource) in AUDITED_ACCESS}
    showing = {
        endpoint.name.removesuffix("-csv")
        for endpoint in ENDPOINTS
        if ORGANISER in endpoint.must_show_to and endpoint.method == "GET"
    }

    assert sorted(showing - audited) == []


def test_registrations_export_audit_records_format_columns_count_and_masked_search(
    congress, registration, organiser
):
    url = reverse("registrations:manage_export", kwargs={"slug": congress.slug})

    _client(organiser).get(
        url,
        {"file_format": "csv", "columns": ["name", "email"], "q": "Leyla", "status": "confirmed"},
    )

    event = AuditEvent.objects.get(action="personal_data.export")
    assert (event.actor, event.detail) == (
        organiser,
        {
            "resource": "registrations:manage_export",
            "filters": {"q": "[free text]", "status": "confirmed"},
            "count": 1,
            "format": "csv",
            "columns": ["name", "email"],
        },
    )


def test_attendance_page_records_no_people_list_for_check_in_staff(congress, registration):
    door = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user

    response = _client(door).get(reverse("attendance:attendance", kwargs={"slug": congress.slug}))

    recorded = AuditEvent.objects.filter(action__startswith="personal_data.").count()
    assert (response.status_code, recorded) == (200, 0)


def test_staff_visa_letter_is_refused_to_an_organiser_who_is_not_visa_officer(congress, visa):
    organiser = CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user
    url = reverse("registrations:manage_visa_letter", kwargs={"slug": congress.slug, "pk": visa.pk})

    response = _client(organiser).get(url)

    assert (
        response.status_code,
        AuditEvent.objects.filter(action__startswith="personal_data").count(),
    ) == (404, 0)


def test_admin_pages_never_show_passport_data(congress, registration, visa):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = _client(superuser)
    pages = [
        reverse("admin:registrations_registration_changelist"),
        reverse("admin:registrations_registration_change", args=[registration.pk]),
        reverse("admin:members_person_changelist"),
        reverse("admin:members_person_change", args=[registration.person.pk]),
    ]

    bodies = [client.get(page).content.decode() for page in pages]

    assert [("Leyla Mammadova" in body) for body in bodies] == [True] * 4
    leaks = [
        text
        for body in bodies
        for text in (PASSPORT["passport_number"], PASSPORT["full_name"], "gAAAA")
        if text in body
    ]
    assert leaks == []


# --- erasure: each app's erase function ----------------------------------------------------


def test_erasure_clears_passport_data_answers_and_verification(registration, visa):
    Registration.objects.filter(pk=registration.pk).update(answers={"diet": "Halal, no nuts"})

    erase_person(person=registration.person, actor=None)

    registration.refresh_from_db()
    visa.refresh_from_db()
    assert (
        registration.answers,
        visa.passport_data,
        visa.verification_token_hash,
        visa.purged_at is not None,
        visa.reference.startswith("VISA-"),
    ) == ({}, {}, "", True, True)


def test_erasure_revokes_the_persons_active_badges(registration):
    erase_person(person=registration.person, actor=None)

    assert list(
        Credential.objects.filter(registration=registration).values_list(
            "revoked_reason", flat=True
        )
    ) == ["person_erased"]


def test_erased_speaker_is_dropped_from_the_public_programme(congress, registration):
    session = SessionFactory(congress=congress)
    SessionSpeakerFactory(session=session, person=registration.person)
    other = SessionSpeakerFactory(session=session)

    erase_person(person=registration.person, actor=None)

    [listed] = programme_sessions(congress=congress)
    assert [speaker.person.name for speaker in listed.public_speakers] == [other.person.name]
    assert (
        ERASED_NAME
        not in Client()
        .get(reverse("sessions:session", kwargs={"slug": congress.slug, "pk": session.pk}))
        .content.decode()
    )


def test_erasure_of_a_person_without_registrations_data_does_not_fail():
    registration = RegistrationFactory()  # no visa request, no badge

    erased = erase_person(person=registration.person, actor=None)

    assert erased.name == ERASED_NAME


def test_every_audited_resource_has_a_readable_name_on_the_audit_log():
    unnamed = sorted(
        resource
        for _access, (_action, resource) in AUDITED_ACCESS
        if resource_label(resource) == resource
    )

    assert unnamed == []


def test_admin_and_command_resources_are_named_from_the_admin_and_the_command():
    assert [
        resource_label("admin:registrations_registration_changelist"),
        resource_label("admin:badges_credential_download_badges"),
        resource_label("command:render_badges"),
        resource_label("registrations.list"),  # a row written before the names were unified
    ] == [
        "Administration: list of registrations",
        "Administration: Download badges of the selected credentials (PDF, by surname)",
        "Command: render_badges",
        "registrations.list",
    ]


def test_audit_log_page_shows_the_resource_and_the_details_in_words(
    congress, registration, organiser
):
    officer = CongressRoleFactory(congress=congress, role=CongressRole.Role.DATA_PROTECTION).user
    _client(organiser).get(
        reverse("registrations:manage_export", kwargs={"slug": congress.slug}),
        {"file_format": "csv", "columns": ["name", "email"], "q": "Leyla", "status": "confirmed"},
    )

    response = _client(officer).get(
        reverse("privacy:audit-log", kwargs={"slug": congress.slug}),
        {"action": "personal_data.export"},
    )

    body = response.content.decode()
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<td class="audit-(?:resource|details)">(.*?)</td>', body)
    ]
    assert cells == [
        "Registrations export registrations:manage_export",
        "1 record · CSV · filters: q=[free text], status=confirmed · columns: name, email",
    ]
