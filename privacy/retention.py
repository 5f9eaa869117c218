"""Retention: personal data of non-members is erased once a congress's retention period
has passed.

`apply_retention(today=...)`: for each congress whose retention period has passed, erase the
people registered there who are not members (their organisation has no active membership in
the congress's network) and who are not registered for a later congress. Erasure goes
through privacy.erasure.erase_person, so every app's erase function runs; registrations,
categories and countries stay, so aggregate figures do not change.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from congress.models import Congress
from congress.services import record_audit
from members.models import Membership, Person
from privacy.erasure import erase_person
from registrations.models import Registration

INACTIVE_STATUSES = (Registration.Status.CANCELLED, Registration.Status.REJECTED)


@dataclass(frozen=True)
class RetentionResult:
    congress_slug: str
    erased: int


def congresses_past_retention(*, today: datetime.date) -> list[Congress]:
    """Congresses whose end date plus retention period lies before `today`."""
    return [
        congress
        for congress in Congress.objects.order_by("ends_on", "pk")
        if congress.ends_on + datetime.timedelta(days=congress.retention_days) < today
    ]


def people_to_erase(*, congress: Congress):
    """People registered for `congress`, not erased yet, not members, not coming back."""
    later = Registration.objects.filter(
        person=OuterRef("pk"), congress__starts_on__gt=congress.ends_on
    ).exclude(status__in=INACTIVE_STATUSES)
    people = Person.objects.filter(registrations__congress=congress, erased_at__isnull=True)
    if congress.network_id is not None:
        member = Membership.objects.filter(
            organisation=OuterRef("organisation"),
            network_id=congress.network_id,
            status=Membership.Status.ACTIVE,
        )
        people = people.filter(~Q(Exists(member)))
    return people.filter(~Q(Exists(later))).distinct().order_by("pk")


def apply_retention(*, today: datetime.date) -> list[RetentionResult]:
    """Erase non-members' personal data of every congress past its retention period.

    Idempotent: erased people are skipped. Each person is erased in their own transaction
    (privacy.erasure.erase_person locks the Person row); one audit row per congress holds
    the count, never names.
    """
    results = []
    for congress in congresses_past_retention(today=today):
        erased = 0
        for person in people_to_erase(congress=congress).iterator():
            erase_person(person=person, actor=None, reason="retention")
            erased += 1
        if erased:
            record_audit(
                action="retention.applied",
                congress=congress,
                target=congress,
                detail={"erased": erased, "retention_days": congress.retention_days},
            )
        results.append(RetentionResult(congress_slug=congress.slug, erased=erased))
    return results
