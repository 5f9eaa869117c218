"""Browser test: one travel grant from the participant's request to the committee's award to
the reimbursement of a receipt, with every URL recorded (none under /admin/)."""

import pytest

from congress.models import CongressRole
from registrations.self_service import issue_access_token
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.travel import BudgetLineFactory, GrantProgrammeFactory
from travel.models import GrantApplication, Reimbursement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
PDF = b"%PDF-1.4\n% a scanned boarding pass\n%%EOF\n"


def test_grant_from_request_to_award_to_reimbursement(live_server, page, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    congress = CongressFactory(name="World Congress", currency="EUR")
    GrantProgrammeFactory(congress=congress)
    BudgetLineFactory(
        donor__congress=congress, donor__name="EU", name="Flights", total_minor=500000
    )
    registration = RegistrationFactory(congress=congress, person__name="Aïssatou Diallo")
    token = issue_access_token(registration=registration)
    organiser = CongressRoleFactory(
        congress=congress, role=CongressRole.Role.ORGANISER, user__password=PASSWORD
    ).user
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))

    # The participant asks for a flight, in their own currency.
    page.goto(f"{live_server.url}/en/me/{token}/travel/")
    page.select_option("select[name=currency]", "XOF")
    page.fill("input[name=amount_flight]", "450000")
    page.fill("textarea[name=motivation]", "I document executions in the Sahel.")
    page.get_by_role("button", name="Apply for a travel grant", exact=True).click()
    assert page.locator("[data-test=application-status]").inner_text() == (
        "Your application: Submitted"
    )

    # The committee scores it and awards EUR 420 on the EU line.
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", organiser.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/manage/travel/")
    page.click("text=Aïssatou Diallo")
    page.check("input[name=score][value='4']")
    page.get_by_role("button", name="Save my score", exact=True).click()
    page.select_option("select[name=line_flight]", label="EU · Flights (EUR)")
    page.fill("input[name=amount_flight]", "420")
    page.get_by_role("button", name="Award and send the letter", exact=True).click()
    assert page.locator("[data-test=status]").inner_text() == "Awarded"
    application_url = page.url

    # The participant claims EUR 398.50 with a receipt.
    page.goto(f"{live_server.url}/en/me/{token}/travel/")
    page.fill("input[name=amount]", "398.50")
    page.set_input_files(
        "input[name=receipt]",
        files=[{"name": "boarding-pass.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="Send the claim", exact=True).click()

    # The organiser approves it and records the payment.
    page.goto(application_url)
    page.fill("input[name=approved]", "398.50")
    page.get_by_role("button", name="Approve", exact=True).click()
    page.fill("input[name=paid_on]", "2027-06-20")
    page.select_option("select[name=method]", "bank_transfer")
    page.get_by_role("button", name="Record the payment", exact=True).click()

    claims = page.locator("[data-test=claims] tbody tr").all_inner_texts()
    assert claims == ["Flight\t€398.50\tDownload\tPaid: €398.50 (06/20/2027, Bank transfer)\t"]
    claim = Reimbursement.objects.get()
    assert (claim.status, claim.approved_minor) == (Reimbursement.Status.PAID, 39850)
    assert GrantApplication.objects.get().status == GrantApplication.Status.AWARDED
    assert [url for url in visited if "/admin/" in url] == []
