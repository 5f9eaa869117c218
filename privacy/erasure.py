"""Erasure of a person's personal data (retention and the right to erasure).

`erase_person` anonymises the Person row and calls each app's own erase function, in one
transaction. The Person row is kept, anonymised, so aggregate figures (registrations by
category and country, attendance, membership engagement) keep counting it; country and
organisation are kept for the same reason, as they are not personal data on their own.

Every model with a foreign key to Person, Registration or Submission is listed below, in
ERASED_BY (the app function that erases its personal data) or in KEPT (why it stays as it
is); tests/privacy/test_erasure_coverage.py fails when a model is missing from both.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance import erasure as attendance_erasure
from badges import erasure as badges_erasure
from cfp import erasure as cfp_erasure
from congress.models import Congress
from congress.services import record_audit
from members.models import Person
from messaging import erasure as messaging_erasure
from privacy.models import ErasureRequest
from registrations import erasure as registrations_erasure
from sessions import erasure as sessions_erasure
from travel import erasure as travel_erasure

ERASED_NAME = "Erased participant"

# Each app's erase function, called in this order by erase_person, inside its transaction.
APP_ERASERS: tuple[Callable[..., None], ...] = (
    registrations_erasure.erase_person_data,
    sessions_erasure.erase_person_data,
    cfp_erasure.erase_person_data,
    badges_erasure.erase_person_data,
    attendance_erasure.erase_person_data,
    messaging_erasure.erase_person_data,
    travel_erasure.erase_person_data,
)

# Models (app label.ModelName) whose personal data an app's erase function removes; its
# docstring says what goes and what stays.
ERASED_BY: dict[str, Callable[..., None]] = {
    "registrations.Registration": registrations_erasure.erase_person_data,
    "registrations.VisaLetterRequest": registrations_erasure.erase_person_data,
    "registrations.CategoryInvitation": registrations_erasure.erase_person_data,
    "cfp.Submission": cfp_erasure.erase_person_data,
    "cfp.SubmissionCoAuthor": cfp_erasure.erase_person_data,
    "cfp.SubmissionFile": cfp_erasure.erase_person_data,
    "cfp.Answer": cfp_erasure.erase_person_data,
    "cfp.Review": cfp_erasure.erase_person_data,
    "cfp.ConflictOfInterest": cfp_erasure.erase_person_data,
    "programme.SessionSignup": sessions_erasure.erase_person_data,
    "badges.Credential": badges_erasure.erase_person_data,
    "badges.HeadsetLoan": badges_erasure.erase_person_data,
    "attendance.Certificate": attendance_erasure.erase_person_data,
    "messaging.MailingRecipient": messaging_erasure.erase_person_data,
    "messaging.Unsubscription": messaging_erasure.erase_person_data,
    "travel.GrantApplication": travel_erasure.erase_person_data,
    "travel.AccommodationRequest": travel_erasure.erase_person_data,
    "travel.RoomOccupant": travel_erasure.erase_person_data,
    "travel.Itinerary": travel_erasure.erase_person_data,
    "registrations.BillingDetails": registrations_erasure.erase_person_data,
}

# Models kept as they are on purpose: they hold no personal data of their own (only the
# link to the anonymised person), or the law requires them.
KEPT: dict[str, str] = {
    "registrations.RegistrationGroup": (
        "the organisation's group registration; its contact is the anonymised person"
    ),
    "registrations.Payment": "bookkeeping record: amounts, dates and Stripe ids, no name",
    "registrations.BankTransferLine": (
        "bookkeeping record: a line of the organiser's bank statement, as the bank wrote it"
    ),
    "programme.SessionSpeaker": (
        "names no one once the person is anonymised; the public programme leaves erased "
        "speakers out (sessions.queries); the programme has no biographies or photos"
    ),
    "cfp.ReviewAssignment": "ids and dates only: which reviewer was assigned the proposal",
    "attendance.PersonAttendance": "figures only (days, sessions, minutes); counted in reports",
    "attendance.OnlineVisit": "join and leave times only, like a check-in; counted in reports",
    "privacy.ErasureRequest": "the record of the request and its decision: ids and dates only",
    "messaging.ReminderSent": "ids, a kind and a date: which reminder went to a registration",
    "registrations.Invoice": (
        "invoices and credit notes are accounting records the law requires to keep as issued"
    ),
}


class ErasureNotPending(Exception):
    """The erasure request was already decided."""

    code = "erasure_not_pending"
    message = _("This erasure request was already decided.")


def erase_person(
    *, person: Person, actor: AbstractBaseUser | None, reason: str = "request"
) -> Person:
    """Anonymise `person` and call every app's erase function (APP_ERASERS).

    Guarantees: name becomes "Erased participant", latin name and e-mail are emptied, the
    user account link is cleared, erased_at is set; one audit row "person.erased" holds ids
    and the reason only. All in one transaction with the apps' functions, so a failing one
    leaves nothing half-erased (files on disk go only after the commit). Erasing twice is a
    no-op. Locks the Person row.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.erased_at is not None:
            return person
        person.name = ERASED_NAME
        person.latin_name = ""
        person.email = ""
        person.user = None
        person.erased_at = timezone.now()
        person.save(update_fields=["name", "latin_name", "email", "user", "erased_at"])
        for erase_person_data in APP_ERASERS:
            erase_person_data(person=person, actor=actor)
        record_audit(action="person.erased", actor=actor, target=person, detail={"reason": reason})
    return person


def request_erasure(*, person: Person, congress: Congress) -> ErasureRequest:
    """Record a participant's erasure request, for the data protection officers of the
    congress it came through; asking again returns the pending one. Audited (ids only)."""
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        pending = ErasureRequest.objects.filter(
            person=person, status=ErasureRequest.Status.PENDING
        ).first()
        if pending is not None:
            return pending
        erasure_request = ErasureRequest.objects.create(person=person, congress=congress)
        record_audit(
            action="erasure.requested",
            congress=congress,
            target=erasure_request,
            detail={"person_id": person.pk},
        )
    return erasure_request


def decide_erasure_request(
    *, erasure_request: ErasureRequest, actor: AbstractBaseUser, confirm: bool
) -> ErasureRequest:
    """Confirm (erase the person) or reject a pending request. Audited (ids only).

    Raises ErasureNotPending when it was already decided. Locks the request row.
    """
    with transaction.atomic():
        erasure_request = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
        if erasure_request.status != ErasureRequest.Status.PENDING:
            raise ErasureNotPending
        if confirm:
            erase_person(person=erasure_request.person, actor=actor, reason="request")
        erasure_request.status = (
            ErasureRequest.Status.CONFIRMED if confirm else ErasureRequest.Status.REJECTED
        )
        erasure_request.decided_at = timezone.now()
        erasure_request.decided_by = actor
        erasure_request.save(update_fields=["status", "decided_at", "decided_by"])
        record_audit(
            action=f"erasure.{erasure_request.status}",
            congress=erasure_request.congress,
            actor=actor,
            target=erasure_request,
            detail={"person_id": erasure_request.person_id},
        )
    return erasure_request
