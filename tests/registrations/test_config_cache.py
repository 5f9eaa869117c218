"""registrations.config_cache: a registration reads its congress's questions, fee rules,
country groups and settings from memory while they are unchanged, and any change shows on
the very next registration."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from registrations import services
from registrations.config_cache import registration_config
from registrations.models import FeeRule, Registration
from tests.factories.congress import CongressFactory
from tests.factories.registrations import (
    CountryGroupFactory,
    FeeRuleFactory,
    QuestionFactory,
    RegistrationCategoryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress():
    return CongressFactory()


@pytest.fixture
def category(congress):
    category = RegistrationCategoryFactory(congress=congress, code="participant")
    FeeRuleFactory(category=category, amount_minor=20000)
    return category


def _register(congress, number, **extra):
    return APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        {
            "category": "participant",
            "email": f"person-{number}@example.org",
            "name": f"Person {number}",
            "country": "SN",
            **extra,
        },
        format="json",
    )


def _statements(congress, number) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = _register(congress, number)
    assert response.status_code == 201
    return [query["sql"] for query in captured.captured_queries]


def _tables_read(statements: list[str]) -> list[str]:
    return [
        re.search(r'FROM "(\w+)"', sql).group(1)
        for sql in statements
        if sql.startswith("SELECT") and "FROM" in sql
    ]


def test_a_second_registration_reads_no_configuration(congress, category):
    _register(congress, 1)

    statements = _statements(congress, 2)

    # The congress (access check), the person and the locked category (no capacity: no
    # seat count): nothing of the questions, fee rules, country groups or settings.
    assert _tables_read(statements) == [
        "congress_congress",
        "members_person",
        "registrations_registrationcategory",
    ]


def test_a_changed_fee_rule_is_charged_on_the_next_registration(congress, category):
    assert _register(congress, 1).json()["amount_due_minor"] == 20000
    rule = FeeRule.objects.get(category=category)
    rule.amount_minor = 15000
    rule.save()

    assert _register(congress, 2).json()["amount_due_minor"] == 15000


def test_a_new_country_group_rate_applies_on_the_next_registration(congress, category):
    _register(congress, 1)
    group = CountryGroupFactory(congress=congress, countries=["SN"])
    FeeRuleFactory(category=category, country_group=group, amount_minor=5000)

    assert _register(congress, 2).json()["amount_due_minor"] == 5000


def test_a_new_required_question_is_asked_on_the_next_registration(congress, category):
    _register(congress, 1)
    QuestionFactory(congress=congress, code="diet", kind="text", is_required=True)

    response = _register(congress, 2)

    assert (response.status_code, response.json()["code"]) == (400, "invalid_answers")
    assert list(response.json()["answers"]) == ["diet"]


def test_a_question_moved_to_another_category_is_no_longer_asked(congress, category):
    other = RegistrationCategoryFactory(congress=congress, code="press")
    question = QuestionFactory(congress=congress, code="diet", kind="text", is_required=True)
    assert _register(congress, 1).status_code == 400

    question.categories.add(other)

    assert _register(congress, 2).status_code == 201


def test_a_category_renamed_is_found_by_its_new_code_at_once(congress, category):
    _register(congress, 1)
    category.code = "member"
    category.save()

    old = _register(congress, 2)
    new = _register(congress, 3, category="member")

    assert (old.status_code, new.status_code) == (404, 201)


def test_closing_registration_in_bulk_refuses_the_next_registration(congress, category):
    from registrations.opening import close_registration

    _register(congress, 1)
    close_registration(congress=congress, actor=None)

    response = _register(congress, 2)

    assert (response.status_code, response.json()["code"]) == (400, "registration_closed")


def test_with_the_cache_down_every_registration_reads_the_database(
    congress, category, redis_unreachable
):
    _register(congress, 1)
    FeeRule.objects.filter(category=category).update(amount_minor=12000)  # no signal

    response = _register(congress, 2)

    assert (response.status_code, response.json()["amount_due_minor"]) == (201, 12000)


def test_kept_no_longer_than_its_age_limit_for_changes_no_signal_reports(
    congress, category, settings
):
    settings.REGISTRATION_CONFIG_SECONDS = 0
    _register(congress, 1)
    FeeRule.objects.filter(category=category).update(amount_minor=12000)  # raw: no signal

    assert _register(congress, 2).json()["amount_due_minor"] == 12000


def test_the_service_uses_the_same_configuration(congress, category):
    config = registration_config(congress)

    outcome = services.register_participant(
        congress=congress,
        category=config.categories["participant"],
        details=services.RegistrantDetails(email="a@example.org", name="A"),
        send_email=False,
    )

    assert (outcome.registration.status, outcome.fee.amount_minor) == (
        Registration.Status.PENDING_PAYMENT,
        20000,
    )
