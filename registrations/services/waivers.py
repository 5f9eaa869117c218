"""Waiving what a registrant still owes, for a reason another app decided (a travel grant)."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from congress.services import record_audit
from registrations.models import Registration
from registrations.services.payments import _confirm_if_paid_locked


def waive_outstanding_fee(
    *,
    registration: Registration,
    reason: str,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Reduce the amount due to what was already paid, add `reason` to the fee reasons and
    confirm a registration that was waiting for payment. Locks the registration row; writes
    an audit row. Idempotent: a registration owing nothing is left as it is.
    """
    now = now or timezone.now()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("category")
            .get(pk=registration.pk)
        )
        if registration.amount_outstanding_minor <= 0:
            return registration
        waived = registration.amount_outstanding_minor
        registration.amount_due_minor = registration.amount_paid_minor
        if reason not in registration.fee_reasons:
            registration.fee_reasons = [*registration.fee_reasons, reason]
        registration.save(update_fields=["amount_due_minor", "fee_reasons", "updated_at"])
        _confirm_if_paid_locked(registration, now)
        record_audit(
            action="registration.fee_waived",
            congress=registration.congress,
            actor=actor,
            target=registration,
            detail={"reason": reason, "amount_minor": waived},
        )
    return registration
