import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import AuditEvent
from registrations.self_service import issue_access_token
from tests.factories.congress import CongressRoleFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.travel import (
    AwardFactory,
    BudgetLineFactory,
    GrantApplicationFactory,
    GrantProgrammeFactory,
    HotelFactory,
    RoomTypeFactory,
)
from travel import services
from travel.models import CostType, GrantApplication, Reimbursement

pytestmark = pytest.mark.django_db
PAGES = ["", "settings/", "budgets/", "accommodation/", "transfers/", "report/"]


def _url(congress, page=""):
    return f"/en/congresses/{congress.slug}/manage/travel/{page}"


@pytest.mark.parametrize("page", PAGES)
def test_organiser_pages_are_hidden_from_another_congress_organiser(
    client, congress, other_congress, page
):
    client.force_login(CongressRoleFactory(congress=other_congress, role="organiser").user)

    assert client.get(_url(congress, page)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_organiser_pages_are_hidden_from_reviewers_and_door_staff(client, congress, reviewer, page):
    client.force_login(reviewer)

    assert client.get(_url(congress, page)).status_code == 404


def _applications(congress, n):
    line = BudgetLineFactory(donor__congress=congress)
    for _index in range(n):
        application = GrantApplicationFactory(registration__congress=congress)
        application.items.create(cost_type=CostType.FLIGHT, amount_minor=1000)
        AwardFactory(application=application, budget_line=line)


@pytest.mark.parametrize("n", [1, 5])
def test_applications_list_query_count_is_flat(
    client, organiser, congress, django_assert_num_queries, n
):
    _applications(congress, n)
    client.force_login(organiser)

    with django_assert_num_queries(11):
        response = client.get(_url(congress))

    assert len(response.context["applications"]) == n


@pytest.mark.parametrize("n", [1, 5])
def test_budgets_query_count_is_flat(client, organiser, congress, django_assert_num_queries, n):
    _applications(congress, n)
    for _index in range(n):
        BudgetLineFactory(donor__congress=congress)
    client.force_login(organiser)

    with django_assert_num_queries(11):
        response = client.get(_url(congress, "budgets/"))

    assert len(response.context["lines"]) == n + 1


@pytest.mark.parametrize("n", [1, 5])
def test_accommodation_query_count_is_flat(
    client, organiser, congress, django_assert_num_queries, n
):
    room_type = RoomTypeFactory(hotel=HotelFactory(congress=congress), rooms=10)
    for _index in range(n):
        registration = RegistrationFactory(congress=congress)
        services.save_accommodation_request(
            registration=registration,
            first_night=room_type.first_night,
            last_night=room_type.last_night,
            sharing="alone",
        )
        services.allocate_room(
            room_type=room_type,
            registrations=[registration],
            first_night=room_type.first_night,
            last_night=room_type.last_night,
        )
    client.force_login(organiser)

    with django_assert_num_queries(11):
        response = client.get(_url(congress, "accommodation/"))

    assert len(response.context["requests"]) == n


@pytest.mark.parametrize("n", [1, 5])
def test_donor_report_query_count_is_flat(
    client, organiser, congress, django_assert_num_queries, n
):
    _applications(congress, n)
    client.force_login(organiser)

    with django_assert_num_queries(22):
        response = client.get(_url(congress, "report/"))

    assert len(response.context["sections"][0].people) == n


def test_applications_list_is_audited(client, organiser, congress):
    _applications(congress, 2)
    client.force_login(organiser)

    client.get(_url(congress))

    event = AuditEvent.objects.filter(action="personal_data.list").get()
    assert (event.detail["resource"], event.detail["count"]) == ("travel:applications", 2)


def test_participant_applies_from_the_private_link(client, congress):
    GrantProgrammeFactory(congress=congress)
    registration = RegistrationFactory(congress=congress)
    token = issue_access_token(registration=registration)

    response = client.post(
        f"/en/me/{token}/travel/",
        {
            "action": "apply",
            "currency": "XOF",
            "amount_flight": "450000",
            "amount_accommodation": "90 000",
            "nights": "3",
            "motivation": "I document executions in the Sahel.",
        },
    )

    application = GrantApplication.objects.get()
    assert response.status_code == 302
    assert list(application.items.values_list("cost_type", "amount_minor", "nights")) == [
        ("flight", 450000, 0),
        ("accommodation", 90000, 3),
    ]


def test_participant_form_keeps_what_was_typed_on_a_bad_amount(client, congress):
    GrantProgrammeFactory(congress=congress)
    token = issue_access_token(registration=RegistrationFactory(congress=congress))

    response = client.post(
        f"/en/me/{token}/travel/",
        {"action": "apply", "currency": "EUR", "amount_flight": "12.345", "motivation": "Keep me"},
    )

    form = response.context["forms"]["apply"]
    assert form.errors["amount_flight"] == ["EUR amounts have at most 2 decimal places."]
    assert "Keep me" in response.content.decode()
    assert GrantApplication.objects.count() == 0


def test_participant_claims_with_a_receipt(client, congress, settings, tmp_path):
    application = GrantApplicationFactory(
        registration__congress=congress, status=GrantApplication.Status.AWARDED
    )
    award = AwardFactory(application=application, amount_minor=50000)
    token = issue_access_token(registration=application.registration)

    client.post(
        f"/en/me/{token}/travel/",
        {
            "action": "claim",
            "award": str(award.pk),
            "amount": "420.50",
            "description": "Flight Dakar-Geneva",
            "receipt": SimpleUploadedFile("r.pdf", b"%PDF-1.4 receipt", "application/pdf"),
        },
    )

    claim = Reimbursement.objects.get()
    assert (claim.claimed_minor, claim.description) == (42050, "Flight Dakar-Geneva")


def test_unknown_private_link_is_not_found(client):
    assert client.get("/en/me/not-a-token/travel/", follow=True).status_code == 404


@pytest.mark.django_db
def test_demo_pages_of_travel_support_answer_for_the_demo_organiser(client, settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from congress.demo import DEMO_ORGANISER_USERNAME, WORLD_SLUG

    settings.DEBUG = True
    call_command("demo", stdout=None)
    client.force_login(get_user_model().objects.get(username=DEMO_ORGANISER_USERNAME))

    statuses = [
        client.get(f"/en/congresses/{WORLD_SLUG}/manage/travel/{page}").status_code
        for page in PAGES
    ]
    applications = GrantApplication.objects.filter(congress__slug=WORLD_SLUG)

    assert statuses == [200] * len(PAGES)
    assert sorted(applications.values_list("status", flat=True)) == [
        "awarded",
        "refused",
        "submitted",
        "submitted",
    ]
