"""Reimbursement claims against awards: receipts checked, approved, then paid."""

import datetime
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from congress.services import record_audit
from travel.exceptions import ClaimNotAllowed, InvalidReceipt
from travel.models import Award, GrantApplication, Reimbursement

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
_RECEIPT_TYPES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}

_EXECUTABLE_MARKERS = (b"\x7fELF", b"This program cannot be run in DOS mode")


def check_receipt(upload: UploadedFile) -> tuple[bytes, str, str]:
    """Read a receipt and return (bytes, content type, extension).

    Raises InvalidReceipt when it is empty, over 5 MB (checked while reading, so a huge
    upload is not read to its end) or not a PDF, JPEG or PNG by its content.
    """
    if upload.size is not None and upload.size > MAX_RECEIPT_BYTES:
        raise InvalidReceipt(_("The receipt is too large: the limit is 5 MB."))
    data = upload.read(MAX_RECEIPT_BYTES + 1)
    if len(data) > MAX_RECEIPT_BYTES:
        raise InvalidReceipt(_("The receipt is too large: the limit is 5 MB."))
    for magic, (content_type, extension) in _RECEIPT_TYPES.items():
        if data.startswith(magic):
            if any(marker in data for marker in _EXECUTABLE_MARKERS):
                break  # a polyglot: a receipt that is also a program
            return data, content_type, extension
    raise InvalidReceipt()


def _claimed_so_far(award: Award) -> int:
    return (
        award.reimbursements.exclude(status=Reimbursement.Status.REJECTED).aggregate(
            total=Sum("claimed_minor")
        )["total"]
        or 0
    )


def claim_reimbursement(
    *, award: Award, claimed_minor: int, description: str, receipt: UploadedFile
) -> Reimbursement:
    """A participant claims part of an award with a receipt.

    Raises ClaimNotAllowed when the award was refused, the amount is not positive or the
    claims would exceed the award; InvalidReceipt for a bad file. Locks the award row.
    """
    data, content_type, extension = check_receipt(receipt)
    if claimed_minor <= 0:
        raise ClaimNotAllowed(_("Enter the amount you paid."))
    with transaction.atomic():
        award = Award.objects.select_for_update().select_related("application").get(pk=award.pk)
        if award.application.status != GrantApplication.Status.AWARDED:
            raise ClaimNotAllowed()
        if _claimed_so_far(award) + claimed_minor > award.amount_minor:
            raise ClaimNotAllowed(_("Your claims would be more than the amount awarded."))
        claim = Reimbursement(
            award=award,
            claimed_minor=claimed_minor,
            description=description.strip()[:300],
            receipt_content_type=content_type,
        )
        name = f"travel/{award.application.congress_id}/{uuid.uuid4().hex}.{extension}"
        claim.receipt.save(name, ContentFile(data), save=False)
        claim.save()
    return claim


def approve_reimbursement(
    *, reimbursement: Reimbursement, approved_minor: int, actor: AbstractBaseUser
) -> Reimbursement:
    """Approve up to the claimed amount."""
    if not 0 < approved_minor <= reimbursement.claimed_minor:
        raise ClaimNotAllowed(_("Approve an amount between zero and what was claimed."))
    if reimbursement.status not in (
        Reimbursement.Status.SUBMITTED,
        Reimbursement.Status.APPROVED,
    ):
        raise ClaimNotAllowed()
    reimbursement.status = Reimbursement.Status.APPROVED
    reimbursement.approved_minor = approved_minor
    reimbursement.save(update_fields=["status", "approved_minor"])
    _audit("travel.claim_approved", reimbursement, actor)
    return reimbursement


def reject_reimbursement(*, reimbursement: Reimbursement, actor: AbstractBaseUser) -> Reimbursement:
    if reimbursement.status == Reimbursement.Status.PAID:
        raise ClaimNotAllowed()
    reimbursement.status = Reimbursement.Status.REJECTED
    reimbursement.approved_minor = 0
    reimbursement.save(update_fields=["status", "approved_minor"])
    _audit("travel.claim_rejected", reimbursement, actor)
    return reimbursement


def mark_reimbursement_paid(
    *,
    reimbursement: Reimbursement,
    paid_on: datetime.date,
    method: str,
    actor: AbstractBaseUser,
) -> Reimbursement:
    """Record that the approved amount was paid, on which day and how."""
    if reimbursement.status != Reimbursement.Status.APPROVED:
        raise ClaimNotAllowed(_("Approve the claim before recording its payment."))
    reimbursement.status = Reimbursement.Status.PAID
    reimbursement.paid_on = paid_on
    reimbursement.paid_method = method
    reimbursement.save(update_fields=["status", "paid_on", "paid_method"])
    _audit("travel.claim_paid", reimbursement, actor)
    return reimbursement


def _audit(action: str, reimbursement: Reimbursement, actor: AbstractBaseUser) -> None:
    record_audit(
        action=action,
        congress=reimbursement.award.application.congress,
        actor=actor,
        target=reimbursement,
        detail={"approved_minor": reimbursement.approved_minor},
    )
