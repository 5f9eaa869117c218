"""Browser tests: an organiser imports an MT940 statement and reads the summary; a
participant enters billing details and downloads their invoice."""

from pathlib import Path

import pytest

from congress.models import CongressRole
from registrations import services
from registrations.models import InvoiceSettings, Registration
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
DATA = Path(__file__).resolve().parent.parent / "registrations" / "data"


@pytest.fixture
def congress():
    congress = CongressFactory(name="World Congress")
    category = RegistrationCategoryFactory(congress=congress, name="Participant")
    FeeRuleFactory(category=category, amount_minor=15000)
    return congress


def _register(congress, email: str, reference: str = ""):
    outcome = services.register_participant(
        congress=congress,
        category=congress.categories.get(),
        details=services.RegistrantDetails(email=email, name="Amina Benali"),
        send_email=False,
    )
    if reference:
        Registration.objects.filter(pk=outcome.registration.pk).update(payment_reference=reference)
    return outcome


def test_organiser_imports_an_mt940_statement_and_sees_the_summary(live_server, page, congress):
    _register(congress, "amina@example.org", reference="REG-7KQ2M9XA")
    organiser = CongressRoleFactory(
        congress=congress, role=CongressRole.Role.ORGANISER, user__password=PASSWORD
    ).user
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", organiser.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/bank-transfers/")
    page.set_input_files("input[name=statement]", str(DATA / "statement.mt940"))
    page.select_option("select[name=file_format]", "mt940")
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Bank statement import: statement.mt940"
    assert page.get_by_test_id("import-state").inner_text() == "Imported — 4 of 4 lines"
    rows = page.get_by_test_id("import-summary").locator("tr").all_inner_texts()
    assert rows[:4] == ["Matched\t1", "Partial payment\t0", "Over-payment\t0", "Unmatched\t2"]
    page.get_by_role("link", name="Back to the bank transfers").click()
    assert page.get_by_test_id("line-outcome").all_inner_texts() == ["Unmatched", "Unmatched"]


def test_participant_gets_an_invoice_from_the_private_page(live_server, page, congress):
    InvoiceSettings.objects.create(
        congress=congress, number_prefix="WC27-", vat_exemption_text="VAT exempt"
    )
    outcome = _register(congress, "amina@example.org")

    page.goto(f"{live_server.url}/en/registration/{outcome.access_token}/")
    page.get_by_role("link", name="Invoices and billing details").click()
    page.fill("input[name=name]", "Ligue des droits")
    page.fill("textarea[name=address]", "12 rue de la Paix\nTunis")
    page.select_option("select[name=country]", "TN")
    page.get_by_role("button", name="Save and get the invoice").click()
    page.wait_for_load_state()

    assert page.get_by_test_id("invoices").inner_text().startswith("Invoice WC27-00001")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Invoice WC27-00001").click()
    download = download_info.value
    assert download.suggested_filename == "WC27-00001.pdf"
    assert download.path().read_bytes()[:5] == b"%PDF-"
