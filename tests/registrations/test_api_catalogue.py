"""The public API is self-sufficient: categories with fees, questions (issue 13)."""

import pytest
from rest_framework.test import APIClient

from registrations.models import Question, RegistrationCategory
from tests.factories.members import MembershipFactory, NetworkFactory, OrganisationFactory
from tests.factories.registrations import (
    CountryGroupFactory,
    FeeRuleFactory,
    QuestionFactory,
    RegistrationCategoryFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(congress):
    category = RegistrationCategoryFactory(
        congress=congress,
        code="participant",
        name="Participant",
        name_translations={"fr": "Participant·e", "ar": "مشارك"},
        capacity=300,
    )
    low = CountryGroupFactory(congress=congress, countries=["SN"])
    FeeRuleFactory(category=category, amount_minor=30000)
    FeeRuleFactory(category=category, country_group=low, amount_minor=7500)
    FeeRuleFactory(category=category, is_member_rate=True, amount_minor=20000)
    return category


def categories(congress, **params):
    return APIClient().get(f"/api/v1/congresses/{congress.slug}/categories/", params)


def test_categories_lists_public_categories_with_names_and_fee(congress, participant):
    RegistrationCategoryFactory(congress=congress, kind=RegistrationCategory.Kind.STAFF)
    RegistrationCategoryFactory(
        congress=congress, access=RegistrationCategory.Access.ACCESS_CODE, access_code="X"
    )

    response = categories(congress, country="SN")

    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "participant",
            "kind": "participant",
            "name": "Participant",
            "names": {"en": "Participant", "fr": "Participant·e", "ar": "مشارك"},
            "requires_approval": False,
            "capacity": 300,
            "opens_at": None,
            "closes_at": None,
            "fee": {
                "amount_minor": 7500,
                "currency": "EUR",
                "reasons": ["country_group"],
                "reason_labels": ["Country group rate"],
                "member_amount_minor": None,
            },
        }
    ]


def test_categories_fee_for_a_member_is_the_member_rate_only_once_verified(congress, participant):
    network = NetworkFactory()
    congress.network = network
    congress.save()
    organisation = OrganisationFactory(email_domains=["ligue.example"])
    MembershipFactory(organisation=organisation, network=network)

    unverified = categories(congress, country="FR", organisation=organisation.pk)
    verified = categories(
        congress, country="FR", organisation=organisation.pk, email="a@ligue.example"
    )

    assert unverified.json()[0]["fee"]["amount_minor"] == 30000
    assert unverified.json()[0]["fee"]["member_amount_minor"] == 20000
    assert verified.json()[0]["fee"]["amount_minor"] == 20000


def test_categories_with_a_voucher_applies_it_and_an_expired_one_says_why(congress, participant):
    VoucherFactory(congress=congress, code="HALF", kind="percent", value=50)

    good = categories(congress, voucher="half")
    bad = categories(congress, voucher="nope")

    assert good.json()[0]["fee"]["amount_minor"] == 15000
    assert bad.status_code == 400
    assert bad.json() == {"code": "invalid_voucher", "detail": "This voucher code is not valid."}


def test_categories_of_a_draft_congress_are_not_found(congress, participant):
    congress.status = congress.Status.DRAFT
    congress.save()

    response = categories(congress)

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 5])
def test_categories_query_count_is_flat(congress, django_assert_num_queries, rows):
    for index in range(rows):
        FeeRuleFactory(category=RegistrationCategoryFactory(congress=congress, position=index))

    with django_assert_num_queries(4):
        response = categories(congress, country="FR")

    assert len(response.json()) == rows


def test_registration_questions_with_choices_in_each_language(congress, participant):
    question = QuestionFactory(
        congress=congress,
        code="interpretation",
        label="Interpretation",
        label_translations={"fr": "Interprétation", "ar": "الترجمة"},
        kind=Question.Kind.CHOICE,
        is_required=True,
        choices=[{"value": "fr", "label": "French", "translations": {"fr": "Français"}}],
    )
    question.categories.add(participant)

    response = APIClient().get(
        f"/api/v1/congresses/{congress.slug}/registration-questions/",
        {"category": "participant"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.json() == [
        {
            "code": "interpretation",
            "kind": "choice",
            "label": "Interprétation",
            "labels": {"en": "Interpretation", "fr": "Interprétation", "ar": "الترجمة"},
            "is_required": True,
            "max_length": None,
            "categories": ["participant"],
            "choices": [
                {
                    "value": "fr",
                    "label": "Français",
                    "labels": {"en": "French", "fr": "Français", "ar": "French"},
                }
            ],
        }
    ]


@pytest.mark.parametrize("rows", [1, 5])
def test_registration_questions_query_count_is_flat(congress, django_assert_num_queries, rows):
    for _index in range(rows):
        QuestionFactory(congress=congress)

    with django_assert_num_queries(3):
        response = APIClient().get(f"/api/v1/congresses/{congress.slug}/registration-questions/")

    assert len(response.json()) == rows


def test_registration_api_validates_answers_with_the_form_s_validator(congress, participant):
    QuestionFactory(congress=congress, code="diet", label="Dietary needs", is_required=True)

    response = APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        {"category": "participant", "email": "a@example.org", "name": "A", "answers": {}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_answers",
        "detail": "“Dietary needs”: this question needs an answer.",
        "answers": {
            "diet": [
                {"code": "required", "detail": "“Dietary needs”: this question needs an answer."}
            ]
        },
    }


def test_schema_documents_the_catalogue_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert sorted(
        path
        for path in schema["paths"]
        if path.endswith(("/categories/", "/registration-questions/"))
    ) == [
        "/api/v1/congresses/{slug}/categories/",
        "/api/v1/congresses/{slug}/registration-questions/",
    ]
