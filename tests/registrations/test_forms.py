"""Registration forms: translated country lists, field lengths, rate limits (issue 13)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from registrations.models import Registration
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory

pytestmark = pytest.mark.django_db
LONG_EMAIL = f"{'a' * 250}@example.org"  # 262 characters: valid to a regex, too long to store


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(congress):
    category = RegistrationCategoryFactory(congress=congress, code="participant")
    FeeRuleFactory(category=category, amount_minor=10000)
    return category


def form_data(category, **extra):
    return {
        "category": category.pk,
        "name": "Nour",
        "email": "nour@example.org",
        "country": "LB",
        "language": "ar",
        "list_visibility": "nowhere",
        "payment_method": "transfer",
        "consent": "on",
        **extra,
    }


@pytest.mark.parametrize(
    ("language", "first_three"),
    [
        ("fr", ["— Choisissez un pays —", "Afghanistan", "Afrique du Sud"]),
        ("en", ["— Choose a country —", "Afghanistan", "Åland Islands"]),
    ],
)
def test_register_form_countries_are_translated_sorted_and_not_preselected(
    client, congress, category, language, first_three
):
    response = client.get(f"/{language}/congresses/{congress.slug}/register/")

    field = response.context["form"]["country"]
    labels = [str(label) for _value, label in field.field.choices]
    assert labels[:3] == first_three
    assert field.value() is None
    assert '<option value="" selected>' in str(field)


def test_register_form_countries_in_arabic_are_arabic_names(client, congress, category):
    response = client.get(f"/ar/congresses/{congress.slug}/register/")

    labels = dict(response.context["form"].fields["country"].choices)
    assert labels["MA"] == "المغرب"
    assert labels["CH"] == "سويسرا"


def test_visa_form_nationality_is_translated_with_no_default(client, congress):
    from registrations.self_service import issue_access_token
    from tests.factories.registrations import RegistrationFactory

    token = issue_access_token(registration=RegistrationFactory(congress=congress))

    response = client.get(f"/fr/registration/{token}/visa/", follow=True)

    field = response.context["form"]["nationality"]
    assert dict(field.field.choices)["MA"] == "Maroc"
    assert field.value() is None


def test_register_form_without_a_country_says_it_is_required(client, congress, category):
    response = client.post(
        f"/en/congresses/{congress.slug}/register/", form_data(category, country="")
    )

    assert response.context["form"].errors["country"] == ["This field is required."]


def test_register_form_e_mail_over_254_characters_is_a_form_error_not_a_500(
    client, congress, category
):
    response = client.post(
        f"/fr/congresses/{congress.slug}/register/", form_data(category, email=LONG_EMAIL)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Assurez-vous que cette valeur comporte au plus 254 caractères (actuellement 262)."
    ]
    assert Registration.objects.count() == 0


def test_api_e_mail_over_254_characters_is_a_400_not_a_500(congress, category):
    response = APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        {"category": "participant", "email": LONG_EMAIL, "name": "Nour"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"email": ["Ensure this field has no more than 254 characters."]}
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "limit"), [("name", 200), ("latin_name", 200), ("organisation_name", 200)]
)
def test_register_form_text_over_its_length_is_a_form_error(
    client, congress, category, field, limit
):
    response = client.post(
        f"/en/congresses/{congress.slug}/register/",
        form_data(category, **{field: "x" * (limit + 1)}),
    )

    assert response.context["form"].errors[field] == [
        f"Ensure this value has at most {limit} characters (it has {limit + 1})."
    ]


def test_public_registration_form_is_rate_limited(client, congress, category, settings):
    settings.REGISTRATION_RATE_LIMIT = "2/3600"

    codes = [
        client.post(
            f"/en/congresses/{congress.slug}/register/",
            form_data(category, email=f"n{index}@example.org"),
        ).status_code
        for index in range(3)
    ]

    assert codes == [302, 302, 429]
    assert Registration.objects.count() == 2


def test_registration_api_is_rate_limited(congress, category, settings):
    settings.REGISTRATION_RATE_LIMIT = "1/3600"
    client = APIClient()

    responses = [
        client.post(
            f"/api/v1/congresses/{congress.slug}/registrations/",
            {"category": "participant", "email": f"n{index}@example.org", "name": "N"},
            format="json",
        )
        for index in range(2)
    ]

    assert [response.status_code for response in responses] == [201, 429]
    assert responses[1].json()["code"] == "rate_limited"


def test_password_reset_is_rate_limited(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "2/900"

    codes = [
        client.post("/en/accounts/password_reset/", {"email": "x@example.org"}).status_code
        for _ in range(3)
    ]

    assert codes == [302, 302, 429]
