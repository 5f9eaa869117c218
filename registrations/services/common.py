"""Small helpers shared by the registration services (no business rules of their own)."""

import secrets

from django.db import transaction

from registrations.models import Registration
from registrations.signals import registration_cancelled, registration_confirmed

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference(prefix: str) -> str:
    """A payment reference such as REG-7KQ2M9XA: easy to type, unambiguous, 40 random bits."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{prefix}-{body}"


def send_confirmed_on_commit(registration: Registration) -> None:
    """registration_confirmed after commit, if the registration is confirmed then (a seat
    decided by the database is known only on commit; one cancelled meanwhile gets none)."""

    def send() -> None:
        if registration.status == Registration.Status.CONFIRMED:
            registration_confirmed.send(sender=Registration, registration=registration)

    transaction.on_commit(send)


def send_confirmed_batch_on_commit(registrations: list[Registration]) -> None:
    """registration_confirmed for many registrations (a bank statement's chunk), after
    commit, all receivers inside one transaction: their work commits once for the batch
    instead of once per registration (a commit is the dominant cost on SQLite)."""

    def send() -> None:
        with transaction.atomic():
            for registration in registrations:
                registration_confirmed.send(sender=Registration, registration=registration)

    if registrations:
        transaction.on_commit(send)


def send_cancelled_on_commit(registration: Registration) -> None:
    transaction.on_commit(
        lambda: registration_cancelled.send(sender=Registration, registration=registration)
    )
