"""Browser tests of the delegation page and the lost-link page (issue 13)."""

import pytest
from django.core import mail

from registrations import services
from registrations.models import Registration
from tests.factories.congress import CongressFactory
from tests.factories.members import OrganisationFactory
from tests.factories.registrations import (
    CountryGroupFactory,
    FeeRuleFactory,
    RegistrationCategoryFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_head_adds_a_delegate_from_another_country_and_the_total_follows(live_server, page):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, name="Delegate")
    FeeRuleFactory(category=category, amount_minor=20000)
    FeeRuleFactory(
        category=category,
        country_group=CountryGroupFactory(congress=congress, countries=["SN"]),
        amount_minor=5000,
    )
    result = services.register_group(
        congress=congress,
        category=category,
        organisation=OrganisationFactory(name="Ligue"),
        contact=services.RegistrantDetails(email="head@example.org", name="Awa"),
        delegates=[services.RegistrantDetails(email="a@example.org", name="Ana", country="FR")],
        payment_method="transfer",
        send_email=False,
    )

    page.goto(f"{live_server.url}/en/delegation/{result.access_token}/")
    page.fill("#id_new-name", "Cheikh")
    page.fill("#id_new-email", "cheikh@example.org")
    page.select_option("#id_new-country", "SN")
    page.click("[data-testid=add-delegate]")
    page.locator("[data-testid=group-amount]").filter(has_text="250").wait_for()

    assert page.locator("[data-testid=group-amount]").inner_text() == "€250.00"
    assert page.locator("[data-testid=group-reference]").inner_text() == (
        result.group.payment_reference
    )
    assert page.locator("[data-testid=delegates] tbody tr").count() == 2
    assert Registration.objects.get(person__email="cheikh@example.org").amount_due_minor == 5000


def test_lost_link_page_answers_the_same_for_an_unknown_address(live_server, page):
    congress = CongressFactory()

    page.goto(f"{live_server.url}/fr/congresses/{congress.slug}/register/lost-link/")
    page.fill("#id_email", "personne@example.org")
    page.click("[data-testid=lost-link-submit]")
    page.locator(".messages").wait_for()

    assert "Si cette adresse est inscrite à ce congrès" in page.content()
    assert mail.outbox == []


def test_head_enters_billing_details_and_downloads_the_delegation_invoice(live_server, page):
    from registrations.models import Invoice, InvoiceSettings

    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, name="Delegate")
    FeeRuleFactory(category=category, amount_minor=20000)
    InvoiceSettings.objects.create(congress=congress, vat_exemption_text="VAT exempt")
    result = services.register_group(
        congress=congress,
        category=category,
        organisation=OrganisationFactory(name="Ligue"),
        contact=services.RegistrantDetails(email="head@example.org", name="Awa"),
        delegates=[services.RegistrantDetails(email="a@example.org", name="Ana", country="FR")],
        payment_method="transfer",
        send_email=False,
    )

    page.goto(f"{live_server.url}/en/delegation/{result.access_token}/")
    page.click("[data-testid=group-invoices-link]")
    page.fill("#id_address", "1 rue de la Paix\nParis")
    page.click("button[value=invoice]")
    page.locator("[data-testid=invoices] a").wait_for()
    with page.expect_download() as download:
        page.click("[data-testid=invoices] a")

    assert (
        page.locator("[data-testid=invoices] li").all_inner_texts()[0].startswith("Invoice 00001")
    )
    assert download.value.suggested_filename == "00001.pdf"
    assert Invoice.objects.get().billing_name == "Ligue"
