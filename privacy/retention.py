"""Retention and erasure on the registrations side.

- `apply_retention(today=...)`: for each congress whose retention period has passed, erase
  the people registered there who are not members (their organisation has no active
  membership in the congress's network) and who are not registered for a later congress.
  Registrations, categories and countries stay, so aggregate figures do not change.
- `erase_registration_data`: the registrations receiver of `privacy.signals.person_erased`;
  it clears what registrations keep about a person (badge display name, self-service token,
  free-text answers, passport data of visa-letter requests).
- The participant's erasure request page, reached from the self-service page.

Integrator: the signal connection and the self-service link below are made at import time
(this module is imported by the URLconf and the apply_retention command); they belong in
RegistrationsConfig.ready().
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Now
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from congress.models import Congress
from congress.services import record_audit
from members.models import Membership, Person
from privacy.erasure import erase_person, request_erasure
from privacy.signals import person_erased
from registrations.models import Registration, VisaLetterRequest
from registrations.self_service import register_self_service_link, registration_for_access_token

INACTIVE_STATUSES = (Registration.Status.CANCELLED, Registration.Status.REJECTED)


@dataclass(frozen=True)
class RetentionResult:
    congress_slug: str
    erased: int


def erase_registration_data(sender, person: Person, **kwargs) -> None:
    """Clear what registrations hold about an erased person (called inside the transaction):
    badge display name, self-service token, free-text answers, and the passport data of
    their visa-letter requests (the request row stays, marked purged, with its reference;
    its public verification stops, since it would only show "Erased participant")."""
    registrations = Registration.objects.filter(person=person)
    registrations.update(badge_display_name="", access_token_hash="", answers={})
    VisaLetterRequest.objects.filter(registration__person=person).update(
        passport_data={},
        verification_token_hash="",
        purged_at=Coalesce("purged_at", Now()),
    )


person_erased.connect(erase_registration_data, dispatch_uid="registrations-erase-person")


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


# --- the participant's request, from the self-service page -------------------------------------


def erasure_request_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET explains what erasure means; POST records the request for an organiser to confirm."""
    registration = registration_for_access_token(token=token)
    if registration is None or registration.person.erased_at is not None:
        raise Http404
    erasure_request = None
    if request.method == "POST":
        with transaction.atomic():
            erasure_request = request_erasure(
                person=registration.person, congress_pk=registration.congress_id
            )
    return render(
        request,
        "privacy/erasure_request.html",
        {"registration": registration, "erasure_request": erasure_request},
    )


register_self_service_link(
    label=_("Ask for my personal data to be erased"), url_name="privacy:erasure-request", order=900
)

urlpatterns = [
    path("<str:token>/erasure/", erasure_request_page, name="erasure-request"),
]
