import datetime

import pytest

from tests.factories.congress import CongressFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    VoucherFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_live_fee_shows_why_an_expired_waiver_is_refused_instead_of_a_price(live_server, page):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress)
    FeeRuleFactory(category=category, amount_minor=12000)
    VoucherFactory(
        congress=congress,
        code="SCHOLAR",
        kind="waiver",
        valid_until=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )

    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/register/")
    page.select_option("#id_category", str(category.pk))
    page.locator("[data-testid=fee-amount]").filter(has_text="120").wait_for()
    page.fill("#id_voucher_code", "scholar")
    page.locator("#id_voucher_code").dispatch_event("change")
    page.locator("[data-testid=fee-error]").filter(has_text="expired").wait_for()

    assert page.locator("[data-testid=fee-error]").inner_text() == (
        "This voucher code has expired."
    )
    assert page.locator("[data-testid=fee-amount]").inner_text() == ""
