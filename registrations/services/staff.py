"""Organiser decisions and cancellations: approve, reject, cancel (with refund), move."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from congress.services import record_audit
from registrations import queries
from registrations.exceptions import (
    CategoryFull,
    InvalidCategory,
    InvalidTransition,
    SameCategory,
)
from registrations.models import Registration, RegistrationCategory, RegistrationSettings
from registrations.services.common import send_cancelled_on_commit, send_confirmed_on_commit
from registrations.services.invoices import reconcile_invoices
from registrations.services.registration import (
    fee_for,
    initial_state,
    lock_category,
    release_voucher_use,
)
from registrations.services.waitlist import offer_seats_locked

S = Registration.Status


def _locked(registration: Registration) -> tuple[RegistrationCategory, Registration]:
    category = lock_category(registration.category)
    return category, Registration.objects.select_for_update().select_related(
        "congress", "person"
    ).get(pk=registration.pk)


def approve_registration(
    *, registration: Registration, actor: AbstractBaseUser, now: datetime.datetime | None = None
) -> Registration:
    """Approve a registration waiting for approval: confirmed when nothing is owed,
    otherwise pending payment with a seat hold. Raises InvalidTransition."""
    now = now or timezone.now()
    with transaction.atomic():
        category, registration = _locked(registration)
        if registration.status != S.PENDING_APPROVAL:
            raise InvalidTransition(status=registration.status)
        settings = queries.settings_for(congress=registration.congress)
        category.requires_approval = False  # already approved: continue as a normal seat
        outstanding = registration.amount_outstanding_minor
        registration.amount_due_minor = registration.amount_paid_minor + outstanding
        initial_state(registration=registration, category=category, settings=settings, now=now)
        if registration.status == S.PENDING_PAYMENT and outstanding == 0:
            registration.status = S.CONFIRMED
            registration.confirmed_at = now
        registration.save()
        record_audit(
            action="registration.approved",
            congress=registration.congress,
            actor=actor,
            target=registration,
            detail={"status": registration.status},
        )
        if registration.status == S.CONFIRMED:
            send_confirmed_on_commit(registration)
    return registration


def reject_registration(
    *, registration: Registration, actor: AbstractBaseUser, now: datetime.datetime | None = None
) -> Registration:
    """Reject a registration not yet confirmed; its seat goes to the waitlist."""
    now = now or timezone.now()
    with transaction.atomic():
        category, registration = _locked(registration)
        if registration.status not in (S.PENDING_APPROVAL, S.PENDING_PAYMENT, S.WAITLISTED):
            raise InvalidTransition(status=registration.status)
        registration.status = S.REJECTED
        registration.hold_expires_at = None
        registration.offer_expires_at = None
        registration.save()
        release_voucher_use(registration)
        record_audit(
            action="registration.rejected",
            congress=registration.congress,
            actor=actor,
            target=registration,
        )
        offer_seats_locked(category=category, now=now)
    return registration


def refund_due(
    *, registration: Registration, settings: RegistrationSettings, now: datetime.datetime
) -> int:
    """What the congress's refund policy returns if the registration is cancelled at `now`."""
    refundable = max(registration.amount_paid_minor - registration.amount_refunded_minor, 0)
    if settings.full_refund_until is None and settings.partial_refund_until is None:
        return refundable
    if settings.full_refund_until is not None and now <= settings.full_refund_until:
        return refundable
    if settings.partial_refund_until is not None and now <= settings.partial_refund_until:
        return refundable * settings.partial_refund_percent // 100
    return 0


def cancel_registration(
    *,
    registration: Registration,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Registration, int]:
    """Cancel an active registration (by the participant when `actor` is None).

    Locks category -> registration; the seat goes to the waitlist, the voucher
    use is given back and registration_cancelled is sent on commit. Card payments are then
    refunded through Stripe per the refund policy; for transfers the refund due is recorded
    for the organisers. Returns (registration, refund due). Raises InvalidTransition.
    """
    now = now or timezone.now()
    with transaction.atomic():
        category, registration = _locked(registration)
        if not registration.is_active:
            raise InvalidTransition(status=registration.status)
        settings = queries.settings_for(congress=registration.congress)
        refund = refund_due(registration=registration, settings=settings, now=now)
        registration.status = S.CANCELLED
        registration.status_reason = "by_participant" if actor is None else "by_organiser"
        registration.cancelled_at = now
        registration.hold_expires_at = None
        registration.offer_expires_at = None
        registration.save()
        release_voucher_use(registration)
        send_cancelled_on_commit(registration)
        record_audit(
            action="registration.cancelled",
            congress=registration.congress,
            actor=actor,
            target=registration,
            detail={"refund_due_minor": refund, "by_participant": actor is None},
        )
        offer_seats_locked(category=category, now=now)
    if refund:
        from registrations.services.stripe_payments import refund_registration

        refund_registration(registration=registration, amount_minor=refund, actor=actor)
    reconcile_invoices(registration=registration, actor=actor, now=now)
    return registration, refund


def move_registration(
    *,
    registration: Registration,
    category: RegistrationCategory,
    actor: AbstractBaseUser,
    now: datetime.datetime | None = None,
) -> Registration:
    """Move a registration to another category of the same congress, recomputing the fee.

    Locks both categories in pk order. A person holding a seat keeps their
    status (pending payment becomes confirmed when the new fee is already paid); a waitlisted
    person stays on the waitlist, now the new category's. Nothing changes when the move is
    refused: raises InvalidCategory (another congress's category), SameCategory, CategoryFull
    (no free seat for a person holding one, or people already waiting for one) or
    InvalidTransition (a cancelled or rejected registration).
    """
    now = now or timezone.now()
    if category.congress_id != registration.congress_id:
        raise InvalidCategory(category=category.pk)
    with transaction.atomic():
        old_category = registration.category
        for item in sorted([old_category, category], key=lambda value: value.pk):
            lock_category(item)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("congress", "person", "voucher")
            .get(pk=registration.pk)
        )
        if registration.category_id == category.pk:
            raise SameCategory(category=category.pk)
        if not registration.is_active:
            raise InvalidTransition(status=registration.status)
        from registrations.services.registration import _has_seat

        if registration.status != S.WAITLISTED and not _has_seat(category, now):
            raise CategoryFull(category=category)
        registration.category = category
        fee = fee_for(
            category=category,
            congress=registration.congress,
            country=registration.person.country.code or "",
            is_member=registration.membership == Registration.Membership.VERIFIED,
            voucher=registration.voucher,
            at=registration.created_at,
        )
        registration.amount_due_minor = fee.amount_minor
        registration.fee_reasons = fee.reasons
        if registration.membership == Registration.Membership.PENDING:
            registration.member_amount_minor = fee_for(
                category=category,
                congress=registration.congress,
                country=registration.person.country.code or "",
                is_member=True,
                voucher=registration.voucher,
                at=registration.created_at,
            ).amount_minor
        if registration.status == S.PENDING_PAYMENT and registration.amount_outstanding_minor == 0:
            registration.status = S.CONFIRMED
            registration.confirmed_at = now
            send_confirmed_on_commit(registration)
        registration.save()
        record_audit(
            action="registration.moved",
            congress=registration.congress,
            actor=actor,
            target=registration,
            detail={"from": old_category.pk, "to": category.pk, "status": registration.status},
        )
        offer_seats_locked(category=old_category, now=now)
    reconcile_invoices(registration=registration, actor=actor, now=now)
    return registration
