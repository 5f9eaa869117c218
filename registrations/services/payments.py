"""Money received: applying a payment to a registration or a group, exactly once."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from congress.models import AuditEvent, Congress
from congress.services import record_audit
from registrations.models import Payment, Registration, RegistrationGroup
from registrations.services.common import (
    send_confirmed_batch_on_commit,
    send_confirmed_on_commit,
)

S = Registration.Status
PAYABLE = (S.PENDING_PAYMENT, S.PENDING_APPROVAL, S.CONFIRMED)


CONFIRMATION_FIELDS = [
    "status",
    "status_reason",
    "confirmed_at",
    "hold_expires_at",
    "cancelled_at",
    "updated_at",
]


def _confirm_if_paid_locked(
    registration: Registration, now: datetime.datetime, *, save: bool = True
) -> bool:
    """Confirm a pending registration whose fee is fully paid; a registration whose hold
    expired meanwhile is reinstated only when its category still has a seat. With
    save=False the caller saves the CONFIRMATION_FIELDS itself and sends
    registration_confirmed for the registrations confirmed."""
    from registrations.services.registration import _has_seat

    if registration.amount_outstanding_minor > 0:
        return False
    reinstate = registration.status == S.CANCELLED and registration.status_reason == "hold_expired"
    if reinstate and not _has_seat(registration.category, now):
        registration.status_reason = "paid_without_seat"
        if save:
            registration.save(update_fields=["status_reason", "updated_at"])
        return False
    if registration.status != S.PENDING_PAYMENT and not reinstate:
        return False
    registration.status = S.CONFIRMED
    registration.status_reason = ""
    registration.confirmed_at = now
    registration.hold_expires_at = None
    registration.cancelled_at = None
    if save:
        registration.save(update_fields=CONFIRMATION_FIELDS)
        send_confirmed_on_commit(registration)
    return True


def _lock_payers(
    *, registration: Registration | None, group: RegistrationGroup | None
) -> list[Registration]:
    """Lock the categories, then the registrations paid for (in pk order)."""
    from registrations.services.registration import lock_category

    if registration is not None:
        lock_category(registration.category)
        return [
            Registration.objects.select_for_update()
            .select_related("category")
            .get(pk=registration.pk)
        ]
    members = list(group.registrations.select_related("category").order_by("pk"))
    for category in sorted({member.category for member in members}, key=lambda item: item.pk):
        lock_category(category)
    return list(
        Registration.objects.select_for_update()
        .select_related("category")
        .filter(pk__in=[member.pk for member in members])
        .order_by("pk")
    )


def apply_payment_locked(payment: Payment, *, now: datetime.datetime) -> list[Registration]:
    """Spread a succeeded payment over the registration(s) it pays and confirm the fully paid.

    Call inside a transaction. Returns the registrations confirmed by this payment.
    """
    payers = _lock_payers(registration=payment.registration, group=payment.group)
    remaining = payment.amount_minor
    confirmed = []
    open_payers = [
        item for item in payers if item.status in PAYABLE or item.status_reason == "hold_expired"
    ]
    for index, registration in enumerate(open_payers):
        is_last = index == len(open_payers) - 1
        share = remaining if is_last else min(remaining, registration.amount_outstanding_minor)
        remaining -= share
        registration.amount_paid_minor += share
        registration.save(update_fields=["amount_paid_minor", "updated_at"])
        if _confirm_if_paid_locked(registration, now):
            confirmed.append(registration)
    return confirmed


def record_payment(
    *,
    amount_minor: int,
    currency: str,
    method: str,
    registration: Registration | None = None,
    group: RegistrationGroup | None = None,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> Payment:
    """Record money received outside Stripe (bank transfer, cash) and apply it.

    Locks categories -> registrations. Writes an audit row.
    """
    now = now or timezone.now()
    congress = registration.congress if registration is not None else group.congress
    with transaction.atomic():
        payment = Payment.objects.create(
            congress=congress,
            registration=registration,
            group=group,
            method=method,
            status=Payment.Status.SUCCEEDED,
            amount_minor=amount_minor,
            currency=currency,
            settled_at=now,
        )
        confirmed = apply_payment_locked(payment, now=now)
        record_audit(
            action="payment.recorded",
            congress=congress,
            actor=actor,
            target=payment,
            detail={
                "method": method,
                "amount_minor": amount_minor,
                "currency": currency,
                "confirmed": [item.pk for item in confirmed],
            },
        )
    return payment


def mark_transfer_received(
    *,
    registration: Registration,
    actor: AbstractBaseUser,
    amount_minor: int | None = None,
    now: datetime.datetime | None = None,
) -> Payment:
    """An organiser marks a bank transfer as received (the outstanding amount by default)."""
    amount = registration.amount_outstanding_minor if amount_minor is None else amount_minor
    return record_payment(
        registration=registration,
        amount_minor=amount,
        currency=registration.currency,
        method=Payment.Method.TRANSFER,
        actor=actor,
        now=now,
    )


def record_transfers(
    *,
    congress: Congress,
    transfers: list[tuple[Registration, int]],
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> list[Payment]:
    """Record many bank transfers, each paying one registration of `congress` (a chunk of a
    bank statement): the same outcome as `record_payment` for each, in a few statements.

    Locks categories (pk order) -> registrations (pk order). Bulk-inserts the
    payments and their audit rows, saves each registration paid once, and sends
    registration_confirmed for those now confirmed after commit (one transaction for the
    receivers). Returns the payments in the order of `transfers`.
    """
    from registrations.services.registration import lock_category

    now = now or timezone.now()
    with transaction.atomic():
        categories = {item.category_id: item.category for item, _amount in transfers}
        for category_id in sorted(categories):
            lock_category(categories[category_id])
        locked = {
            item.pk: item
            for item in Registration.objects.select_for_update()
            .select_related("category")
            .filter(pk__in={item.pk for item, _amount in transfers})
            .order_by("pk")
        }
        payments, changed, confirmed, newly_confirmed = [], {}, set(), []
        for registration, amount in transfers:
            target = locked[registration.pk]
            payments.append(
                Payment(
                    congress=congress,
                    registration=target,
                    method=Payment.Method.TRANSFER,
                    status=Payment.Status.SUCCEEDED,
                    amount_minor=amount,
                    currency=congress.currency,
                    settled_at=now,
                )
            )
            if target.status in PAYABLE or target.status_reason == "hold_expired":
                target.amount_paid_minor += amount
                changed[target.pk] = target
                if _confirm_if_paid_locked(target, now, save=False):
                    confirmed.add(len(payments) - 1)
                    newly_confirmed.append(target)
        # One UPDATE per registration paid: cheaper than bulk_update's CASE expressions.
        for target in changed.values():
            target.save(update_fields=["amount_paid_minor", *CONFIRMATION_FIELDS])
        Payment.objects.bulk_create(payments)
        _audit_payments(congress, payments, actor, confirmed)
        send_confirmed_batch_on_commit(newly_confirmed)
    return payments


def _audit_payments(congress, payments, actor, confirmed: set[int]) -> None:
    """One `payment.recorded` audit row per payment, as record_payment writes (bulk)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            congress=congress,
            actor=actor,
            action="payment.recorded",
            target_type=payment._meta.label_lower,
            target_id=str(payment.pk),
            detail={
                "method": payment.method,
                "amount_minor": payment.amount_minor,
                "currency": payment.currency,
                "confirmed": [payment.registration_id] if index in confirmed else [],
            },
        )
        for index, payment in enumerate(payments)
    )
