"""The FIFO waitlist: seats freed by cancellations, expired holds and expired offers are
offered to the oldest waiting registrant, with a time limit."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congress.services import record_audit
from registrations import queries
from registrations.exceptions import OfferExpired
from registrations.models import Registration, RegistrationCategory
from registrations.services.common import send_cancelled_on_commit, send_confirmed_on_commit

S = Registration.Status


def _cancel_locked(registration: Registration, *, reason: str, now: datetime.datetime) -> None:
    from registrations.services.registration import release_voucher_use

    registration.status = S.CANCELLED
    registration.status_reason = reason
    registration.cancelled_at = now
    registration.hold_expires_at = None
    registration.offer_expires_at = None
    registration.save(
        update_fields=[
            "status",
            "status_reason",
            "cancelled_at",
            "hold_expires_at",
            "offer_expires_at",
            "updated_at",
        ]
    )
    release_voucher_use(registration)
    send_cancelled_on_commit(registration)


def offer_seats_locked(*, category: RegistrationCategory, now: datetime.datetime) -> list:
    """Offer every free seat of `category` to the head of its waitlist (caller holds the lock).

    Returns the registrations that got an offer; each gets an email after commit.
    """
    waiting = queries.waiting_without_offer(category=category, now=now)
    if category.capacity is None:
        free = waiting.count()
    else:
        free = category.capacity - queries.seats_taken(category=category, now=now)
    if free <= 0:
        return []
    settings = queries.settings_for(congress=category.congress)
    offered = list(waiting[:free])
    expires = now + datetime.timedelta(hours=settings.waitlist_offer_hours)
    for registration in offered:
        registration.offer_expires_at = expires
        registration.save(update_fields=["offer_expires_at", "updated_at"])
        record_audit(
            action="registration.waitlist_offer",
            congress=category.congress,
            target=registration,
            detail={"expires_at": expires.isoformat()},
        )
        from registrations.services.notifications import send_offer_email

        transaction.on_commit(lambda registration=registration: send_offer_email(registration))
    return offered


def release_expired_locked(*, category: RegistrationCategory, now: datetime.datetime) -> int:
    """Cancel expired seat holds and offers in `category`, then offer the freed seats.

    The caller holds the category lock. Returns how many were released.
    """
    expired = list(
        Registration.objects.filter(category=category).filter(
            Q(status=S.PENDING_PAYMENT, hold_expires_at__lte=now)
            | Q(status=S.WAITLISTED, offer_expires_at__lte=now)
        )
    )
    for registration in expired:
        reason = "hold_expired" if registration.status == S.PENDING_PAYMENT else "offer_expired"
        _cancel_locked(registration, reason=reason, now=now)
        record_audit(
            action=f"registration.{reason}", congress=category.congress, target=registration
        )
    if expired:
        offer_seats_locked(category=category, now=now)
    return len(expired)


def release_expired(*, now: datetime.datetime | None = None) -> int:
    """Release every expired hold and offer, category by category (schedulable)."""
    from registrations.services.registration import lock_category

    now = now or timezone.now()
    category_ids = set(
        Registration.objects.filter(status=S.PENDING_PAYMENT, hold_expires_at__lte=now)
        .values_list("category_id", flat=True)
        .distinct()
    ) | set(
        Registration.objects.filter(status=S.WAITLISTED, offer_expires_at__lte=now)
        .values_list("category_id", flat=True)
        .distinct()
    )
    released = 0
    for category in RegistrationCategory.objects.filter(pk__in=category_ids).order_by("pk"):
        with transaction.atomic():
            category = lock_category(category)
            released += release_expired_locked(category=category, now=now)
    return released


def accept_waitlist_offer(
    *, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """Take the offered seat: the registration continues as if a seat had been free.

    Locks the category, then the registration. Raises OfferExpired when there is no live offer.
    """
    from registrations.services.registration import initial_state, lock_category

    now = now or timezone.now()
    with transaction.atomic():
        category = lock_category(registration.category)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != S.WAITLISTED or not (
            registration.offer_expires_at and registration.offer_expires_at > now
        ):
            raise OfferExpired()
        settings = queries.settings_for(congress=category.congress)
        initial_state(registration=registration, category=category, settings=settings, now=now)
        registration.save()
        record_audit(
            action="registration.offer_accepted",
            congress=category.congress,
            target=registration,
            detail={"status": registration.status},
        )
        if registration.status == S.CONFIRMED:
            send_confirmed_on_commit(registration)
    return registration
