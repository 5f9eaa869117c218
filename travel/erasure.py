"""What travel support erases when a person is erased (called by privacy.erasure)."""

from django.contrib.auth.models import AbstractBaseUser

from members.models import Person
from travel.models import (
    AccommodationRequest,
    GrantApplication,
    GrantReview,
    Itinerary,
    Reimbursement,
    RoomOccupant,
)


def erase_person_data(*, person: Person, actor: AbstractBaseUser | None) -> None:
    """Erase what travel support holds about `person`.

    Erases the grant application's motivation, answers, gender and decision note, the
    committee's review notes (scores stay), the accommodation request (nights, sharing,
    gender), the room they were given, the flights and phone number, and the receipt files
    of their claims (the claim rows stay with amounts only).

    Keeps the application row, its requested amounts, the awards and the reimbursements'
    amounts and payment dates: they are the donor's accounts (money granted and paid),
    point only at the anonymised person and keep donor reports' totals right.

    Runs inside privacy.erasure.erase_person's transaction.
    """
    applications = GrantApplication.objects.filter(registration__person=person)
    applications.update(motivation="", answers={}, gender="", decision_note="")
    GrantReview.objects.filter(application__in=applications).update(note="")
    AccommodationRequest.objects.filter(registration__person=person).delete()
    RoomOccupant.objects.filter(registration__person=person).delete()
    Itinerary.objects.filter(registration__person=person).delete()
    for claim in Reimbursement.objects.filter(award__application__in=applications).exclude(
        receipt=""
    ):
        claim.receipt.delete(save=False)
        claim.receipt = ""
        claim.receipt_content_type = ""
        claim.description = ""
        claim.save(update_fields=["receipt", "receipt_content_type", "description"])
