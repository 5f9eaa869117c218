import pytest
from rest_framework.test import APIClient

from congress.models import AuditEvent
from registrations.models import Registration
from tests.factories.members import OrganisationFactory, PersonFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status


def url(congress):
    return f"/api/v1/congresses/{congress.slug}/registrations/"


@pytest.fixture
def paid_category(congress):
    category = RegistrationCategoryFactory(congress=congress, code="participant", capacity=5)
    FeeRuleFactory(category=category, amount_minor=20000)
    return category


def test_post_registration_transfer_answers_201_with_status(congress, paid_category):
    response = APIClient().post(
        url(congress),
        {"category": "participant", "email": "chidi@example.org", "name": "Chidi Okonkwo"},
        format="json",
    )

    body = response.json()
    registration = Registration.objects.get()
    assert response.status_code == 201
    assert body["id"] == registration.pk
    assert (body["status"], body["amount_due_minor"], body["fee_reasons"]) == (
        "pending_payment",
        20000,
        ["standard"],
    )
    assert "checkout_url" not in body


def test_post_registration_card_answers_checkout_url(congress, paid_category, stripe_stub):
    response = APIClient().post(
        url(congress),
        {
            "category": "participant",
            "email": "card@example.org",
            "name": "Card",
            "payment_method": "card",
        },
        format="json",
    )

    session_id = next(iter(stripe_stub.sessions))
    assert response.status_code == 201
    assert response.json()["checkout_url"] == f"https://checkout.stripe.com/c/pay/{session_id}"


def test_post_registration_card_without_stripe_keys_is_refused(congress, paid_category, settings):
    settings.STRIPE_SECRET_KEY = ""

    response = APIClient().post(
        url(congress),
        {
            "category": "participant",
            "email": "c@example.org",
            "name": "C",
            "payment_method": "card",
        },
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "payment_unavailable")
    assert Registration.objects.count() == 0


def test_post_registration_twice_is_conflict(congress, paid_category):
    data = {"category": "participant", "email": "twice@example.org", "name": "Twice"}
    APIClient().post(url(congress), data, format="json")

    response = APIClient().post(
        url(congress), {**data, "email": "TWICE@example.org"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "already_registered")
    assert Registration.objects.count() == 1


def test_post_registration_invalid_gives_field_errors_in_french(congress, paid_category):
    response = APIClient().post(
        url(congress),
        {"category": "participant", "email": "not-an-email"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    assert sorted(response.json()) == ["email", "name"]
    assert response.json()["name"] == ["Ce champ est obligatoire."]


def test_staff_list_filters_by_status_and_category(
    congress, paid_category, organiser, token_client
):
    other = RegistrationCategoryFactory(congress=congress, code="press")
    wanted = RegistrationFactory(congress=congress, category=paid_category, status=S.CONFIRMED)
    RegistrationFactory(congress=congress, category=other, status=S.CONFIRMED)
    RegistrationFactory(congress=congress, category=paid_category, status=S.WAITLISTED)

    response = token_client(organiser).get(
        url(congress), {"status": "confirmed", "category": "participant"}
    )

    assert [item["id"] for item in response.json()["results"]] == [wanted.pk]


def test_staff_list_filters_by_organisation_and_country(congress, organiser, token_client):
    organisation = OrganisationFactory()
    wanted = RegistrationFactory(
        congress=congress, person=PersonFactory(organisation=organisation, country="KE")
    )
    RegistrationFactory(congress=congress, person=PersonFactory(organisation=organisation))
    RegistrationFactory(congress=congress, person=PersonFactory(country="KE"))

    response = token_client(organiser).get(
        url(congress), {"organisation": organisation.pk, "country": "KE"}
    )

    assert [item["id"] for item in response.json()["results"]] == [wanted.pk]


def test_staff_list_other_congress_does_not_leak(congress, other_congress, organiser, token_client):
    mine = RegistrationFactory(congress=congress)
    RegistrationFactory(congress=other_congress)

    response = token_client(organiser).get(url(congress))

    assert [item["id"] for item in response.json()["results"]] == [mine.pk]


def test_staff_list_protected_shown_to_organiser(congress, organiser, token_client):
    visible = RegistrationFactory(congress=congress)
    protected = RegistrationFactory(congress=congress, is_protected=True)

    response = token_client(organiser).get(url(congress))

    assert [item["id"] for item in response.json()["results"]] == [visible.pk, protected.pk]


def test_staff_list_protected_left_out_for_reviewer(congress, reviewer, token_client):
    visible = RegistrationFactory(congress=congress)
    RegistrationFactory(congress=congress, is_protected=True)

    response = token_client(reviewer).get(url(congress))

    assert [item["id"] for item in response.json()["results"]] == [visible.pk]
    assert response.json()["count"] == 1


def test_staff_list_checkin_staff_gets_nothing(congress, checkin_staff, token_client):
    RegistrationFactory(congress=congress, is_protected=True)

    response = token_client(checkin_staff).get(url(congress))

    assert response.status_code == 403
    assert "results" not in response.json()


def test_staff_list_anonymous_gets_nothing(congress):
    RegistrationFactory(congress=congress)

    response = APIClient().get(url(congress))

    assert response.status_code == 401
    assert "results" not in response.json()


@pytest.mark.parametrize("count", [1, 6])
def test_staff_list_query_count_is_flat(
    congress, organiser, token_client, django_assert_num_queries, count
):
    RegistrationFactory.create_batch(
        count, congress=congress, person__organisation=OrganisationFactory()
    )
    client = token_client(organiser)

    with django_assert_num_queries(7):  # 6 + the audit row (privacy)
        response = client.get(url(congress))

    assert len(response.json()["results"]) == count


def test_action_approve_by_organiser_changes_status_and_audits(congress, organiser, token_client):
    category = RegistrationCategoryFactory(congress=congress, requires_approval=True)
    registration = RegistrationFactory(
        congress=congress, category=category, status=S.PENDING_APPROVAL
    )

    response = token_client(organiser).post(f"{url(congress)}{registration.pk}/approve/")

    assert (response.status_code, response.json()["status"]) == (200, "confirmed")
    assert AuditEvent.objects.filter(action="registration.approved").count() == 1


def test_action_mark_paid_confirms(congress, paid_category, organiser, token_client):
    registration = RegistrationFactory(
        congress=congress,
        category=paid_category,
        status=S.PENDING_PAYMENT,
        amount_due_minor=20000,
    )

    response = token_client(organiser).post(
        f"{url(congress)}{registration.pk}/mark-paid/", {}, format="json"
    )

    assert response.json()["status"] == "confirmed"
    assert response.json()["amount_paid_minor"] == 20000


def test_action_by_reviewer_is_forbidden(congress, reviewer, token_client):
    registration = RegistrationFactory(congress=congress, status=S.PENDING_APPROVAL)

    response = token_client(reviewer).post(f"{url(congress)}{registration.pk}/approve/")

    registration.refresh_from_db()
    assert response.status_code == 403
    assert registration.status == S.PENDING_APPROVAL


def test_action_on_other_congress_registration_is_not_found(
    congress, other_congress, organiser, token_client
):
    registration = RegistrationFactory(congress=other_congress, status=S.PENDING_APPROVAL)

    response = token_client(organiser).post(f"{url(congress)}{registration.pk}/approve/")

    registration.refresh_from_db()
    assert response.status_code == 404
    assert registration.status == S.PENDING_APPROVAL


def test_schema_documents_registration_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    assert "post" in paths["/api/v1/congresses/{slug}/registrations/"]
    assert "get" in paths["/api/v1/congresses/{slug}/registrations/"]


def test_post_registration_card_with_stripe_down_still_registers(
    congress, paid_category, stripe_stub
):
    stripe_stub.fail = True

    response = APIClient().post(
        url(congress),
        {
            "category": "participant",
            "email": "d@example.org",
            "name": "D",
            "payment_method": "card",
        },
        format="json",
    )

    assert (response.status_code, response.json()["checkout_url"]) == (201, "")
    assert Registration.objects.get().status == S.PENDING_PAYMENT
