"""What registrations erase when a person is erased (called by privacy.erasure), and the
passport purge shared with purge_passport_data."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import DateTimeField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import Person
from registrations.models import (
    BillingDetails,
    CategoryInvitation,
    Registration,
    RegistrationGroup,
    VisaLetterRequest,
)


def erase_passport_data(
    *, visa_requests: QuerySet[VisaLetterRequest], now: datetime.datetime
) -> int:
    """Empty the encrypted passport details of `visa_requests` and mark them purged (a
    request purged earlier keeps its date). The request row, its reference and validity
    stay. Returns the number of rows updated."""
    return visa_requests.update(
        passport_data={},
        purged_at=Coalesce("purged_at", Value(now, output_field=DateTimeField())),
    )


def erase_person_data(*, person: Person, actor: AbstractBaseUser | None) -> None:
    """Erase what registrations hold about `person`.

    Erases, on each of their registrations: the name chosen for the badge, the private
    self-service link (its hash; the link stops working) and the answers to the
    registration questions (free text: diet, access needs, ...), and the billing details
    saved for future invoices. On their visa-letter
    requests: the passport details (marked purged) and the public verification of the letter
    (it would only show "Erased participant"); the reference and validity stay. On the
    invitation they used: the organiser's note (often their name). On the delegations they
    head: the head's private link (its hash) and the one-time membership links.

    Keeps, so the congress's figures do not change: each registration's congress, category,
    status, fee and amounts paid, dates, language, protection and list settings. Payments and
    bank-statement lines are bookkeeping records and stay as they are, and so do invoices and
    credit notes already issued (accounting law); a group registration
    belongs to the organisation, its contact being the anonymised person.

    Runs inside privacy.erasure.erase_person's transaction; does nothing for a person with
    no registration.
    """
    Registration.objects.filter(person=person).update(
        badge_display_name="", access_token_hash="", answers={}, membership_token_hash=""
    )
    CategoryInvitation.objects.filter(registration__person=person).update(note="")
    RegistrationGroup.objects.filter(contact=person).update(
        access_token_hash="", membership_token_hash=""
    )
    BillingDetails.objects.filter(registration__person=person).delete()
    visa_requests = VisaLetterRequest.objects.filter(registration__person=person)
    erase_passport_data(visa_requests=visa_requests, now=timezone.now())
    visa_requests.update(verification_token_hash="")
