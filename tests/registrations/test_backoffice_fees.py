"""Fee rules of a category and the live fee matrix preview."""

import datetime

import pytest

from registrations.models import FeeRule
from registrations.services.fee_matrix import fee_matrix
from tests.backoffice_html import errors, table_rows
from tests.factories.congress import CongressFactory
from tests.factories.registrations import (
    CountryGroupFactory,
    FeeRuleFactory,
    RegistrationCategoryFactory,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def category(congress):
    return RegistrationCategoryFactory(congress=congress, name="Participants")


def fees_url(congress, category, suffix=""):
    return f"/en/congresses/{congress.slug}/manage/categories/{category.pk}/fees/{suffix}"


def test_add_fee_in_major_units_with_local_early_bird(client, congress, organiser, category):
    group = CountryGroupFactory(congress=congress, name="Low income", countries=["TD"])
    client.force_login(organiser)

    response = client.post(
        fees_url(congress, category, "add/"),
        {
            "country_group": group.pk,
            "amount_minor": "300",
            "early_bird_amount_minor": "250.50",
            "early_bird_until": "2027-03-31T23:59",
        },
    )

    rule = FeeRule.objects.get(category=category)
    assert response.status_code == 302
    assert (rule.country_group, rule.is_member_rate, rule.amount_minor) == (group, False, 30000)
    assert (rule.early_bird_amount_minor, rule.early_bird_until) == (
        25050,
        datetime.datetime(2027, 3, 31, 21, 59, tzinfo=UTC),
    )


def test_fee_pointing_at_another_congress_country_group_is_refused(
    client, congress, organiser, category
):
    """Bug of issue 12: a 2029 fee rule pointing at the 2027 congress's group was accepted."""
    foreign_group = CountryGroupFactory(congress=CongressFactory(), name="Low income")
    client.force_login(organiser)

    response = client.post(
        fees_url(congress, category, "add/"),
        {"country_group": foreign_group.pk, "amount_minor": "300"},
    )

    assert errors(response) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert list(FeeRule.objects.all()) == []


def test_fee_form_lists_only_this_congress_groups(client, congress, organiser, category):
    CountryGroupFactory(congress=congress, name="Low income 2029")
    CountryGroupFactory(congress=CongressFactory(), name="Low income 2027")
    client.force_login(organiser)

    response = client.get(fees_url(congress, category, "add/"))

    assert [
        label for _value, label in response.context["form"].fields["country_group"].choices
    ] == [
        "Every country",
        "Low income 2029",
    ]


def test_second_fee_for_the_same_scope_is_refused(client, congress, organiser, category):
    FeeRuleFactory(category=category, amount_minor=10000)
    client.force_login(organiser)

    response = client.post(fees_url(congress, category, "add/"), {"amount_minor": "200"})

    assert errors(response) == [
        "A fee for this country group and rate exists already: edit that one instead."
    ]


def test_early_bird_fee_without_date_is_refused(client, congress, organiser, category):
    client.force_login(organiser)

    response = client.post(
        fees_url(congress, category, "add/"),
        {"amount_minor": "300", "early_bird_amount_minor": "200"},
    )

    assert errors(response) == ["Give both the early-bird fee and its last day, or neither."]


def test_too_precise_amount_names_the_currency(client, congress, organiser, category):
    client.force_login(organiser)

    response = client.post(fees_url(congress, category, "add/"), {"amount_minor": "300.505"})

    assert errors(response) == ["EUR amounts have at most 2 decimal places."]


def test_fee_page_shows_the_matrix_the_fee_service_computes(client, congress, organiser, category):
    low = CountryGroupFactory(congress=congress, name="Low income", countries=["TD"])
    until = datetime.datetime(2027, 3, 31, 21, 59, tzinfo=UTC)
    FeeRuleFactory(
        category=category, amount_minor=30000, early_bird_amount_minor=25000, early_bird_until=until
    )
    FeeRuleFactory(category=category, amount_minor=20000, is_member_rate=True)
    FeeRuleFactory(category=category, country_group=low, amount_minor=5000)
    client.force_login(organiser)

    response = client.get(fees_url(congress, category))

    assert table_rows(response, "fee-matrix-table") == [
        ["Low income", "€50.00", "€50.00", "€50.00", "€50.00"],
        ["Every other country", "€250.00", "€300.00", "€200.00", "€200.00"],
    ]


def test_live_preview_shows_the_rule_being_typed(client, congress, organiser, category):
    FeeRuleFactory(category=category, amount_minor=30000)
    client.force_login(organiser)

    response = client.post(
        fees_url(congress, category, "preview/"),
        {"amount_minor": "100", "is_member_rate": "on"},
        headers={"HX-Request": "true"},
    )

    assert table_rows(response, "fee-matrix-table") == [
        ["Every other country", "€300.00", "€100.00"]
    ]


def test_live_preview_of_an_invalid_form_shows_the_saved_fees(
    client, congress, organiser, category
):
    FeeRuleFactory(category=category, amount_minor=30000)
    client.force_login(organiser)

    response = client.post(fees_url(congress, category, "preview/"), {"amount_minor": "abc"})

    assert table_rows(response, "fee-matrix-table") == [
        ["Every other country", "€300.00", "€300.00"]
    ]


def test_matrix_group_without_countries_shows_a_dash(congress, category):
    empty = CountryGroupFactory(congress=congress, name="Empty", countries=[])

    matrix = fee_matrix(
        category=category,
        currency="EUR",
        rules=[FeeRuleFactory(category=category, amount_minor=100)],
        groups=[empty],
        now=datetime.datetime(2027, 1, 1, tzinfo=UTC),
    )

    assert [(row.label, [fee and fee.amount_minor for fee in row.fees]) for row in matrix.rows] == [
        ("Empty", [None, None]),
        ("Every other country", [100, 100]),
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_fee_page_query_count_is_flat(
    client, congress, organiser, category, django_assert_num_queries, count
):
    for index in range(count):
        group = CountryGroupFactory(
            congress=congress, countries=[["FR", "DE", "IT", "ES", "PT"][index]]
        )
        FeeRuleFactory(category=category, country_group=group)
    client.force_login(organiser)

    with django_assert_num_queries(32):
        response = client.get(fees_url(congress, category))

    assert len(table_rows(response, "fee-rules")) == count


def test_fees_of_another_congress_category_are_404(client, congress, organiser):
    foreign = RegistrationCategoryFactory(congress=CongressFactory())
    client.force_login(organiser)

    response = client.get(fees_url(congress, foreign))

    assert response.status_code == 404
