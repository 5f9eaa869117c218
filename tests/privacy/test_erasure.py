import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from congress.models import AuditEvent, CongressRole
from members.models import Person
from privacy.erasure import (
    ERASED_NAME,
    ErasureNotPending,
    decide_erasure_request,
    erase_person,
    request_erasure,
)
from privacy.models import ErasureRequest
from registrations.models import Registration
from registrations.self_service import issue_access_token, registration_for_access_token
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import (
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _audit_text() -> str:
    return str(list(AuditEvent.objects.values("action", "target_id", "detail")))


def test_erase_person_anonymises_and_keeps_country_and_organisation():
    organisation = OrganisationFactory()
    person = PersonFactory(
        name="أمينة بن سالم",
        latin_name="Amina Ben Salem",
        email="amina@example.org",
        user=UserFactory(),
        organisation=organisation,
        country="TN",
    )

    erase_person(person=person, actor=None)

    person.refresh_from_db()
    assert (person.name, person.latin_name, person.email, person.user) == (
        ERASED_NAME,
        "",
        "",
        None,
    )
    assert person.erased_at is not None
    assert (person.country, person.organisation) == ("TN", organisation)


def test_erase_person_twice_erases_once_and_audits_once():
    person = PersonFactory()

    first = erase_person(person=person, actor=None, reason="retention").erased_at
    second = erase_person(person=person, actor=None, reason="retention").erased_at

    assert second == first
    assert list(AuditEvent.objects.values_list("action", "target_id", "detail")) == [
        ("person.erased", str(person.pk), {"reason": "retention"})
    ]


def test_erase_person_clears_badge_name_and_self_service_link():
    registration = RegistrationFactory(badge_display_name="Rose")
    token = issue_access_token(registration=registration)

    erase_person(person=registration.person, actor=None)

    registration.refresh_from_db()
    assert registration.badge_display_name == ""
    assert registration_for_access_token(token=token) is None


def test_erase_person_audit_row_holds_no_erased_data():
    person = PersonFactory(name="Karim Haddad", email="karim@example.org")
    actor = UserFactory()

    erase_person(person=person, actor=actor)

    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == ("person.erased", actor, str(person.pk))
    assert "Karim" not in _audit_text()
    assert "karim@example.org" not in _audit_text()


def test_erasure_request_from_self_service_page_is_pending(client):
    registration = RegistrationFactory(person__name="Leyla Aliyeva")
    token = issue_access_token(registration=registration)
    url = reverse("privacy:erasure-request", kwargs={"token": token})

    page = client.get(url, follow=True)
    response = client.post(url)

    assert "Ask for erasure" in page.content.decode()
    assert "Your request was recorded" in response.content.decode()
    erasure_request = ErasureRequest.objects.get()
    assert (erasure_request.person, erasure_request.status, erasure_request.congress) == (
        registration.person,
        ErasureRequest.Status.PENDING,
        registration.congress,
    )
    assert list(AuditEvent.objects.values_list("action", "congress_id")) == [
        ("erasure.requested", registration.congress_id)
    ]


@pytest.mark.parametrize(
    ("language", "note"),
    [
        (
            "fr",
            "Si vous avez besoin de votre certificat de participation, téléchargez-le "
            "d\u2019abord : après l\u2019effacement, son code ne le confirme plus.",
        ),
        (
            "ar",
            "إذا كنت بحاجة إلى شهادة الحضور، فقم بتنزيلها أولاً: "
            "بعد المحو لن يؤكدها رمزها بعد الآن.",
        ),
    ],
)
def test_erasure_request_page_says_to_download_the_certificate_first(client, language, note):
    token = issue_access_token(registration=RegistrationFactory())

    page = client.get(
        reverse("privacy:erasure-request", kwargs={"token": token}),
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )

    assert f'<p id="erasure-certificate-note">{note}</p>' in page.content.decode()


def test_erasure_request_with_unknown_token_is_404(client):
    response = client.get(reverse("privacy:erasure-request", kwargs={"token": "nope"}), follow=True)

    assert response.status_code == 404


def test_request_erasure_twice_keeps_one_pending_request(congress):
    person = PersonFactory()

    first = request_erasure(person=person, congress=congress)
    second = request_erasure(person=person, congress=congress)

    assert first == second
    assert ErasureRequest.objects.count() == 1


def test_organiser_with_data_protection_confirms_erasure(client):
    registration = RegistrationFactory(person__name="Leyla Aliyeva")
    congress = registration.congress
    officer = CongressRoleFactory(congress=congress, role=CongressRole.Role.DATA_PROTECTION).user
    erasure_request = request_erasure(person=registration.person, congress=congress)
    client.force_login(officer)

    listing = client.get(reverse("privacy:erasure-requests", kwargs={"slug": congress.slug}))
    client.post(
        reverse("privacy:erasure-decide", kwargs={"slug": congress.slug, "pk": erasure_request.pk}),
        {"decision": "confirm"},
    )

    assert "Leyla Aliyeva" in listing.content.decode()
    erasure_request.refresh_from_db()
    assert erasure_request.status == ErasureRequest.Status.CONFIRMED
    assert erasure_request.decided_by == officer
    assert Person.objects.get(pk=registration.person_id).name == ERASED_NAME
    assert "Leyla" not in _audit_text()
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "erasure.requested",
        "personal_data.list",
        "person.erased",
        "erasure.confirmed",
    }


@pytest.mark.parametrize("count", [1, 5])
def test_erasure_requests_page_query_count_is_flat(client, django_assert_num_queries, count):
    congress = CongressFactory()
    officer = CongressRoleFactory(congress=congress, role=CongressRole.Role.DATA_PROTECTION).user
    for index in range(count):
        erasure_request = request_erasure(person=PersonFactory(), congress=congress)
        if index % 2:
            decide_erasure_request(erasure_request=erasure_request, actor=officer, confirm=False)
    client.force_login(officer)

    with django_assert_num_queries(6):
        response = client.get(reverse("privacy:erasure-requests", kwargs={"slug": congress.slug}))

    assert len(response.context["requests"]) == count


def test_erasure_requests_page_for_plain_organiser_is_404(client, congress, organiser):
    client.force_login(organiser)

    response = client.get(reverse("privacy:erasure-requests", kwargs={"slug": congress.slug}))

    assert response.status_code == 404


def test_erasure_request_of_another_congress_cannot_be_decided(client, congress, other_congress):
    officer = CongressRoleFactory(congress=congress, role=CongressRole.Role.DATA_PROTECTION).user
    person = PersonFactory(name="Someone Else")
    erasure_request = request_erasure(person=person, congress=other_congress)
    client.force_login(officer)

    response = client.post(
        reverse("privacy:erasure-decide", kwargs={"slug": congress.slug, "pk": erasure_request.pk}),
        {"decision": "confirm"},
    )

    assert response.status_code == 404
    assert Person.objects.get(pk=person.pk).name == "Someone Else"


def test_decide_erasure_request_twice_raises(congress):
    erasure_request = request_erasure(person=PersonFactory(), congress=congress)
    actor = UserFactory()
    decide_erasure_request(erasure_request=erasure_request, actor=actor, confirm=False)

    with pytest.raises(ErasureNotPending):
        decide_erasure_request(erasure_request=erasure_request, actor=actor, confirm=True)


# --- retention -----------------------------------------------------------------------------


@pytest.fixture
def ended_congress():
    network = NetworkFactory()
    return CongressFactory(
        network=network,
        starts_on=datetime.date(2025, 6, 1),
        ends_on=datetime.date(2025, 6, 3),
        retention_days=365,
    )


def _figures(congress) -> list:
    return list(
        Registration.objects.filter(congress=congress)
        .values("category__code", "person__country")
        .annotate(total=Count("pk"))
        .order_by("category__code", "person__country")
    )


def test_apply_retention_erases_non_members_and_keeps_members(ended_congress):
    member_organisation = MembershipFactory(network=ended_congress.network).organisation
    member = RegistrationFactory(
        congress=ended_congress, person__organisation=member_organisation
    ).person
    outsider = RegistrationFactory(congress=ended_congress, person__name="Outsider").person

    call_command("apply_retention", "--today", "2026-06-10")

    assert Person.objects.get(pk=outsider.pk).erased_at is not None
    assert Person.objects.get(pk=member.pk).erased_at is None


def test_apply_retention_keeps_people_registered_for_a_later_congress(ended_congress):
    person = RegistrationFactory(congress=ended_congress).person
    RegistrationFactory(person=person, congress=CongressFactory())  # 2027, later

    call_command("apply_retention", "--today", "2026-06-10")

    assert Person.objects.get(pk=person.pk).erased_at is None


def test_apply_retention_before_the_period_ends_erases_nobody(ended_congress):
    person = RegistrationFactory(congress=ended_congress).person

    call_command("apply_retention", "--today", "2026-06-03")

    assert Person.objects.get(pk=person.pk).erased_at is None


def test_apply_retention_leaves_aggregates_unchanged(ended_congress):
    speakers = RegistrationCategoryFactory(congress=ended_congress, code="speakers")
    delegates = RegistrationCategoryFactory(congress=ended_congress, code="delegates")
    for country, category in [("TN", speakers), ("TN", speakers), ("IR", delegates)]:
        RegistrationFactory(congress=ended_congress, category=category, person__country=country)
    RegistrationFactory(
        congress=ended_congress,
        category=delegates,
        person__country="JP",
        is_protected=True,
        status=Registration.Status.CANCELLED,
    )
    before = _figures(ended_congress)

    call_command("apply_retention", "--today", "2026-06-10")

    assert Person.objects.filter(erased_at__isnull=False).count() == 4
    assert _figures(ended_congress) == before


def test_apply_retention_audits_counts_only(ended_congress):
    RegistrationFactory(congress=ended_congress, person__name="Hidden Person")

    call_command("apply_retention", "--today", "2026-06-10")
    call_command("apply_retention", "--today", "2026-06-11")

    retention = AuditEvent.objects.filter(action="retention.applied")
    assert [event.detail for event in retention] == [{"erased": 1, "retention_days": 365}]
    assert "Hidden" not in _audit_text()


def test_demo_makes_organiser_data_protection_officer_with_a_pending_request():
    call_command("demo", "--allow-production")

    world = CongressFactory._meta.model.objects.get(slug="world-congress-2027")
    assert CongressRole.objects.filter(
        congress=world, user__username="organiser", role=CongressRole.Role.DATA_PROTECTION
    ).exists()
    assert list(ErasureRequest.objects.values_list("person__email", "status", "congress")) == [
        ("zoe@example.org", "pending", world.pk)
    ]
