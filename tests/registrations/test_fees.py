import datetime

import pytest

from registrations.models import Voucher
from registrations.services.fees import compute_fee
from tests.factories.registrations import (
    CountryGroupFactory,
    FeeRuleFactory,
    RegistrationCategoryFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db

EARLY_END = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
BEFORE = datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2027, 4, 1, tzinfo=datetime.UTC)


@pytest.fixture
def fee_world():
    category = RegistrationCategoryFactory()
    low = CountryGroupFactory(congress=category.congress, code="low", countries=["NG", "BD"])
    rules = [
        FeeRuleFactory(
            category=category,
            amount_minor=40000,
            early_bird_amount_minor=30000,
            early_bird_until=EARLY_END,
        ),
        FeeRuleFactory(category=category, is_member_rate=True, amount_minor=25000),
        FeeRuleFactory(category=category, country_group=low, amount_minor=10000),
        FeeRuleFactory(
            category=category, country_group=low, is_member_rate=True, amount_minor=5000
        ),
    ]
    return category, rules, [low]


@pytest.mark.parametrize(
    ("country", "is_member", "at", "voucher", "expected_amount", "expected_reasons"),
    [
        ("FR", False, AFTER, None, 40000, ["standard"]),
        ("FR", False, BEFORE, None, 30000, ["early_bird"]),
        ("FR", False, EARLY_END, None, 30000, ["early_bird"]),
        ("FR", True, AFTER, None, 25000, ["member_rate"]),
        ("NG", False, AFTER, None, 10000, ["country_group"]),
        ("NG", True, AFTER, None, 5000, ["country_group", "member_rate"]),
        ("FR", False, AFTER, ("percent", 25), 30000, ["standard", "voucher_percent"]),
        ("FR", False, AFTER, ("fixed", 5000), 35000, ["standard", "voucher_fixed"]),
        ("FR", False, AFTER, ("fixed", 99999), 0, ["standard", "voucher_fixed"]),
        ("NG", True, AFTER, ("waiver", 0), 0, ["country_group", "member_rate", "waiver"]),
    ],
)
def test_compute_fee_table(
    fee_world, country, is_member, at, voucher, expected_amount, expected_reasons
):
    category, rules, groups = fee_world
    voucher_obj = (
        VoucherFactory.build(kind=voucher[0], value=voucher[1]) if voucher is not None else None
    )

    fee = compute_fee(
        category=category,
        currency="EUR",
        rules=rules,
        groups=groups,
        country=country,
        is_member=is_member,
        at=at,
        voucher=voucher_obj,
    )

    assert (fee.amount_minor, fee.reasons) == (expected_amount, expected_reasons)


def test_compute_fee_without_rules_is_free_with_reason():
    category = RegistrationCategoryFactory()

    fee = compute_fee(
        category=category,
        currency="EUR",
        rules=[],
        groups=[],
        country="FR",
        is_member=False,
        at=AFTER,
    )

    assert (fee.amount_minor, fee.reasons, fee.reason_labels) == (
        0,
        ["no_fee"],
        ["No fee for this category"],
    )


def test_compute_fee_waiver_reason_label_is_shown():
    category = RegistrationCategoryFactory()
    rule = FeeRuleFactory.build(category=category, amount_minor=1000)

    fee = compute_fee(
        category=category,
        currency="EUR",
        rules=[rule],
        groups=[],
        country="FR",
        is_member=False,
        at=AFTER,
        voucher=Voucher(kind=Voucher.Kind.WAIVER),
    )

    assert fee.reason_labels == ["Standard rate", "Waiver"]
