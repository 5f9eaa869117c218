"""Visa invitation letters: passport data encrypted at rest, organiser approval, public
verification by a QR code that shows only name, dates and validity."""

import datetime
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from common.tokens import derive_token, hash_token
from congress.models import Congress
from congress.services import record_audit
from registrations.erasure import erase_passport_data
from registrations.exceptions import InvalidTransition
from registrations.models import Registration, VisaLetterRequest
from registrations.services.common import REFERENCE_ALPHABET

PASSPORT_FIELDS = ("full_name", "nationality", "passport_number", "date_of_birth", "expires_on")


def verification_token_for(visa: VisaLetterRequest) -> str:
    """The token printed in the letter's QR: derived with the secret key from the decision,
    so the letter can be printed again while only its hash is stored."""
    message = f"{visa.pk}:{visa.reference}:{visa.decided_at.isoformat()}"
    return derive_token(
        purpose="visa-letter-verification", message=message, nbytes=20, encoding="hex"
    )


def request_visa_letter(*, registration: Registration, passport: dict) -> VisaLetterRequest:
    """Store the passport details (encrypted) and ask the organisers for a letter.

    One request per registration; a second request replaces the details while it is still
    waiting for a decision. Raises InvalidTransition for a cancelled or decided request.
    """
    data = {key: str(passport.get(key, "")) for key in PASSPORT_FIELDS}
    with transaction.atomic():
        if not registration.is_active:
            raise InvalidTransition(status=registration.status)
        existing = (
            VisaLetterRequest.objects.select_for_update().filter(registration=registration).first()
        )
        if existing is not None and existing.status != VisaLetterRequest.Status.REQUESTED:
            raise InvalidTransition(status=existing.status)
        visa = existing or VisaLetterRequest(
            registration=registration,
            reference=_new_reference(registration.congress),
            verification_token_hash="",
        )
        visa.passport_data = data
        visa.save()
        record_audit(action="visa.requested", congress=registration.congress, target=visa)
    return visa


def _new_reference(congress: Congress) -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"VISA-{congress.starts_on:%Y}-{body}"


def approve_visa_letter(
    *,
    visa: VisaLetterRequest,
    actor: AbstractBaseUser,
    language: str = "",
    costs_covered: list[str] | None = None,
    now: datetime.datetime | None = None,
) -> tuple[VisaLetterRequest, str]:
    """Approve a request; returns it with the raw verification token (printed as a QR on
    the letter, stored only as a hash). Re-approving issues a new token. `language` (the
    consulate's) and `costs_covered` (codes of VisaLetterRequest.Cost the organisers pay)
    default to the congress's registration settings. Writes an audit row.
    Raises InvalidTransition for a rejected or purged request."""
    now = now or timezone.now()
    with transaction.atomic():
        visa = (
            VisaLetterRequest.objects.select_for_update()
            .select_related("registration__congress")
            .get(pk=visa.pk)
        )
        if visa.status == VisaLetterRequest.Status.REJECTED or visa.purged_at:
            raise InvalidTransition(status=visa.status)
        congress = visa.registration.congress
        visa.status = VisaLetterRequest.Status.APPROVED
        visa.valid_until = congress.ends_on + datetime.timedelta(days=30)
        visa.decided_by = actor
        visa.decided_at = now
        visa.letter_language = language
        if costs_covered is not None:
            allowed = VisaLetterRequest.Cost.values
            visa.costs_covered = [code for code in allowed if code in costs_covered]
        token = verification_token_for(visa)
        visa.verification_token_hash = hash_token(token)
        visa.save()
        record_audit(action="visa.approved", congress=congress, actor=actor, target=visa)
    return visa, token


def reject_visa_letter(*, visa: VisaLetterRequest, actor: AbstractBaseUser) -> VisaLetterRequest:
    with transaction.atomic():
        visa = VisaLetterRequest.objects.select_for_update().get(pk=visa.pk)
        visa.status = VisaLetterRequest.Status.REJECTED
        visa.verification_token_hash = ""
        visa.decided_by = actor
        visa.decided_at = timezone.now()
        visa.save()
        record_audit(
            action="visa.rejected", congress=visa.registration.congress, actor=actor, target=visa
        )
    return visa


def visa_for_verification(*, token: str) -> VisaLetterRequest | None:
    if not token or len(token) > 128:
        return None
    return (
        VisaLetterRequest.objects.select_related("registration__person", "registration__congress")
        .filter(
            verification_token_hash=hash_token(token),
            status=VisaLetterRequest.Status.APPROVED,
        )
        .first()
    )


def purge_passport_data(*, today: datetime.date | None = None) -> int:
    """Erase passport details of every congress that ended more than its
    passport_purge_days ago. The request row (reference, validity) stays. Returns the count."""
    today = today or timezone.localdate()
    purged = 0
    candidates = VisaLetterRequest.objects.filter(purged_at__isnull=True).select_related(
        "registration__congress"
    )
    for visa in candidates.iterator():
        congress = visa.registration.congress
        if today <= congress.ends_on + datetime.timedelta(days=congress.passport_purge_days):
            continue
        with transaction.atomic():
            erase_passport_data(
                visa_requests=VisaLetterRequest.objects.filter(pk=visa.pk), now=timezone.now()
            )
            record_audit(action="visa.passport_purged", congress=congress, target=visa)
        purged += 1
    return purged
