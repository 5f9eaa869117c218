"""Bulk views and exports of personal data leave an audit row; passport data reaches visa
officers only; erasure reaches every app that keeps data about a person."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from badges.models import Credential
from badges.services import ensure_credential
from congress.models import AuditEvent, CongressRole
from privacy.erasure import ERASED_NAME, erase_person
from registrations.models import Registration
from registrations.services.visa import approve_visa_letter, request_visa_letter
from sessions.queries import programme_sessions
from tests.factories.badges import BadgeTemplateFactory
from tests.factories.cfp import CallFactory, SubmissionFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import UserFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory, SessionSpeakerFactory

pytestmark = pytest.mark.django_db

PASSPORT = {
    "full_name": "LEYLA MAMMADOVA",
    "nationality": "AZ",
    "passport_number": "C98765432",
    "date_of_birth": "1979-03-04",
    "expires_on": "2031-01-01",
}
# Audit actions of bulk access: the shared one, and two older ones kept by their apps.
ACCESS_ACTIONS = ("personal_data.", "registrations.exported", "attendance.personal_data_")


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


def _staff_list(c, r, v, u):
    return _client(u).get(reverse("registrations:manage_list", kwargs={"slug": c.slug}))


def _api_list(c, r, v, u):
    return _client(u).get(reverse("registration-list", kwargs={"slug": c.slug}))


def _export(c, r, v, u):
    url = reverse("registrations:manage_export", kwargs={"slug": c.slug})
    return _client(u).get(url, {"file_format": "xlsx", "columns": ["name"]})


def _visa_list(c, r, v, u):
    return _client(u).get(reverse("registrations:manage_visa", kwargs={"slug": c.slug}))


def _visa_letter(c, r, v, u):
    kwargs = {"slug": c.slug, "pk": v.pk}
    return _client(u).get(reverse("registrations:manage_visa_letter", kwargs=kwargs))


def _badge_api(c, r, v, u):
    return _client(u).get(reverse("registration-badge", kwargs={"pk": r.pk}))


def _badge_print(c, r, v, u):
    return _client(u).get(reverse("badges:print", kwargs={"slug": c.slug}), {"download": "1"})


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


def _render_badges(c, r, v, u, tmp_path=None):
    call_command("render_badges", c.slug, "--out", str(tmp_path / "badges.pdf"))


def _attendance_csv(c, r, v, u):
    return _client(u).get(reverse("attendance:people_csv", kwargs={"slug": c.slug}))


def _cfp_export(c, r, v, u):
    call = CallFactory(congress=c)
    SubmissionFactory(call=call, submitter=r.person)
    url = reverse("cfp:dashboard", kwargs={"slug": c.slug, "call_slug": call.slug})
    return _client(u).get(url, {"format": "csv"})


@pytest.mark.parametrize(
    ("access", "expected"),
    [
        (_staff_list, ("personal_data.list", "registrations.list")),
        (_api_list, ("personal_data.list", "registrations.api.list")),
        (_export, ("registrations.exported", None)),
        (_visa_list, ("personal_data.visa_file", "registrations.visa_list")),
        (_visa_letter, ("personal_data.visa_file", "registrations.visa_letter")),
        (_badge_api, ("personal_data.badge_pdf", "badges.api_badge")),
        (_badge_print, ("personal_data.badge_pdf", "badges.print")),
        (_badge_admin, ("personal_data.badge_pdf", "badges.admin_download")),
        (_badge_admin_preview, ("personal_data.badge_pdf", "badges.admin_preview")),
        (_render_badges, ("personal_data.badge_pdf", "badges.render_badges")),
        (_attendance_csv, ("attendance.personal_data_exported", None)),
        (_cfp_export, ("personal_data.export", "cfp.dashboard")),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else "",
)
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
        if event.action.startswith(ACCESS_ACTIONS)
    ]
    assert rows == [expected]  # exactly one row: nothing is logged twice


def test_registrations_export_audit_masks_the_search_text(congress, registration, organiser):
    url = reverse("registrations:manage_export", kwargs={"slug": congress.slug})

    _client(organiser).get(
        url, {"file_format": "csv", "columns": ["name"], "q": "Leyla", "status": "confirmed"}
    )

    event = AuditEvent.objects.get(action="registrations.exported")
    assert event.detail["filters"] == {"q": "[free text]", "status": "confirmed"}


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
