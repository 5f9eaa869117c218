"""Group registration: several delegates of one organisation, one payment."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from congress.models import Congress
from congress.services import record_audit
from members.models import Organisation, Person
from registrations.models import Registration, RegistrationCategory, RegistrationGroup
from registrations.services.common import new_reference
from registrations.services.registration import (
    RegistrantDetails,
    RegistrationOutcome,
    register_participant,
)


@dataclass
class GroupOutcome:
    group: RegistrationGroup
    outcomes: list[RegistrationOutcome]

    @property
    def amount_due_minor(self) -> int:
        return sum(
            item.registration.amount_outstanding_minor
            for item in self.outcomes
            if item.registration.status == Registration.Status.PENDING_PAYMENT
        )


def register_group(
    *,
    congress: Congress,
    category: RegistrationCategory,
    organisation: Organisation,
    contact: RegistrantDetails,
    delegates: list[RegistrantDetails],
    payment_method: str,
    now: datetime.datetime | None = None,
    send_email: bool = True,
) -> GroupOutcome:
    """Register every delegate in one transaction (all or nothing) under one payment reference.

    Each delegate goes through register_participant (same locks, same fee rules, same
    waitlist); those without a seat are waitlisted and not charged until they get one.
    Raises what register_participant raises, for the first delegate that fails.
    """
    now = now or timezone.now()
    with transaction.atomic():
        contact_person = Person.objects.filter(email__iexact=contact.email).first()
        if contact_person is None:
            contact_person = Person.objects.create(
                email=contact.email,
                name=contact.name,
                organisation=organisation,
                country=organisation.country,
                preferred_language=contact.language,
            )
        group = RegistrationGroup.objects.create(
            congress=congress,
            organisation=organisation,
            contact=contact_person,
            payment_reference=new_reference("GRP"),
            payment_method=payment_method,
        )
        outcomes = []
        for details in delegates:
            details.organisation = organisation
            details.country = details.country or organisation.country.code
            outcomes.append(
                register_participant(
                    congress=congress,
                    category=category,
                    details=details,
                    payment_method=payment_method,
                    group=group,
                    now=now,
                    send_email=send_email,
                )
            )
        record_audit(
            action="registration.group_created",
            congress=congress,
            target=group,
            detail={"delegates": len(outcomes)},
        )
    return GroupOutcome(group=group, outcomes=outcomes)
