import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories.travel import AwardFactory
from travel import services
from travel.exceptions import ClaimNotAllowed, InvalidReceipt
from travel.models import GrantApplication, Reimbursement
from travel.queries import money_by_application_and_donor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _receipt(data=PDF, name="receipt.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _award(**kwargs):
    return AwardFactory(application__status=GrantApplication.Status.AWARDED, **kwargs)


def test_claim_reimbursement_stores_the_receipt_privately():
    award = _award(amount_minor=50000)

    claim = services.claim_reimbursement(
        award=award, claimed_minor=42000, description="Flight", receipt=_receipt()
    )

    claim.refresh_from_db()
    assert (claim.status, claim.claimed_minor, claim.receipt_content_type) == (
        Reimbursement.Status.SUBMITTED,
        42000,
        "application/pdf",
    )
    with claim.receipt.open("rb") as stored:
        assert stored.read() == PDF


def test_claims_beyond_the_award_are_refused():
    award = _award(amount_minor=50000)
    services.claim_reimbursement(
        award=award, claimed_minor=40000, description="", receipt=_receipt()
    )

    with pytest.raises(ClaimNotAllowed) as error:
        services.claim_reimbursement(
            award=award, claimed_minor=20000, description="", receipt=_receipt()
        )

    assert str(error.value) == "Your claims would be more than the amount awarded."


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 This program cannot be run in DOS mode",
        b"%PDF-1.4 \x7fELF\x02\x01\x01",  # a PDF that is also a program
        b"PK\x03\x04 a zip",
        b"",
    ],
)
def test_claim_with_a_file_that_is_not_a_receipt_is_refused(data):
    award = _award()

    with pytest.raises(InvalidReceipt):
        services.claim_reimbursement(
            award=award, claimed_minor=1000, description="", receipt=_receipt(data, "r.pdf")
        )

    assert Reimbursement.objects.count() == 0


def test_receipt_over_five_megabytes_is_refused():
    award = _award()

    with pytest.raises(InvalidReceipt) as error:
        services.claim_reimbursement(
            award=award,
            claimed_minor=1000,
            description="",
            receipt=_receipt(PDF + b"0" * (5 * 1024 * 1024)),
        )

    assert str(error.value) == "The receipt is too large: the limit is 5 MB."


def test_owed_is_approved_minus_paid_per_person_and_donor(organiser):
    award = _award(amount_minor=50000)
    first = services.claim_reimbursement(
        award=award, claimed_minor=30000, description="", receipt=_receipt()
    )
    second = services.claim_reimbursement(
        award=award, claimed_minor=10000, description="", receipt=_receipt()
    )
    services.approve_reimbursement(reimbursement=first, approved_minor=25000, actor=organiser)
    services.approve_reimbursement(reimbursement=second, approved_minor=10000, actor=organiser)
    services.mark_reimbursement_paid(
        reimbursement=first, paid_on=datetime.date(2027, 6, 20), method="cash", actor=organiser
    )

    by_application, by_donor = money_by_application_and_donor(congress=award.application.congress)

    owed = by_application[award.application_id]
    assert (dict(owed.awarded), dict(owed.approved), dict(owed.paid), owed.owed) == (
        {"EUR": 50000},
        {"EUR": 35000},
        {"EUR": 25000},
        {"EUR": 10000},
    )
    assert by_donor[award.budget_line.donor_id].owed == {"EUR": 10000}


def test_payment_before_approval_is_refused(organiser):
    claim = services.claim_reimbursement(
        award=_award(), claimed_minor=1000, description="", receipt=_receipt()
    )

    with pytest.raises(ClaimNotAllowed):
        services.mark_reimbursement_paid(
            reimbursement=claim, paid_on=datetime.date(2027, 6, 20), method="cash", actor=organiser
        )

    claim.refresh_from_db()
    assert claim.status == Reimbursement.Status.SUBMITTED
