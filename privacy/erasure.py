"""Erasure of a person's personal data (retention and the right to erasure).

The Person row is kept, anonymised, so aggregate figures (registrations by category and
country, attendance, membership engagement) keep counting it; country and organisation are
kept for the same reason, as they are not personal data on their own.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from badges.services import revoke_credentials_of_person
from members.models import Person
from privacy.models import ErasureRequest
from privacy.signals import erasure_decided, erasure_requested, person_erased

ERASED_NAME = "Erased participant"


class ErasureNotPending(Exception):
    """The erasure request was already decided."""

    code = "erasure_not_pending"
    message = _("This erasure request was already decided.")


def erase_person(
    *, person: Person, actor: AbstractBaseUser | None, reason: str = "request"
) -> Person:
    """Anonymise `person` and let every app erase its own data (signal person_erased).

    Guarantees: name becomes "Erased participant", latin name and e-mail are emptied, the
    user account link is cleared, erased_at is set; all in one transaction with the
    receivers, so a failing receiver leaves nothing half-erased. Erasing twice is a no-op
    that sends nothing. Locks the Person row.
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
        person_erased.send(sender=Person, person=person, actor=actor, reason=reason)
        revoke_credentials_of_person(person_id=person.pk, actor=actor)
    return person


def request_erasure(*, person: Person, congress_pk: int) -> ErasureRequest:
    """Record a participant's erasure request; asking again returns the pending one."""
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        pending = ErasureRequest.objects.filter(
            person=person, status=ErasureRequest.Status.PENDING
        ).first()
        if pending is not None:
            return pending
        erasure_request = ErasureRequest.objects.create(person=person, congress_pk=congress_pk)
        erasure_requested.send(sender=ErasureRequest, erasure_request=erasure_request)
    return erasure_request


def decide_erasure_request(
    *, erasure_request: ErasureRequest, actor: AbstractBaseUser, confirm: bool
) -> ErasureRequest:
    """Confirm (erase the person) or reject a pending request.

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
        erasure_decided.send(sender=ErasureRequest, erasure_request=erasure_request, actor=actor)
    return erasure_request
