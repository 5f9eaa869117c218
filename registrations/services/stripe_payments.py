"""Card payments through Stripe Checkout, the webhook, refunds and reconciliation.

The amount always comes from the server (the registration's outstanding fee). The webhook
verifies the signature, records the event id before acting, and then trusts Stripe's API,
not the payload: it re-fetches the Checkout Session or Charge. Settling is idempotent, so
a replayed, duplicated or out-of-order event changes nothing.
"""

import datetime
import logging

import stripe
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from common.exceptions import DomainError
from congress.services import record_audit
from registrations import queries
from registrations.exceptions import PaymentProviderError, PaymentUnavailable
from registrations.models import Payment, Registration, RegistrationGroup, StripeEvent
from registrations.services.invoices import reconcile_invoices
from registrations.services.payments import apply_payment_locked

logger = logging.getLogger(__name__)

DISPUTE_EVENTS = ("charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed")
HANDLED_EVENTS = (
    "checkout.session.completed",
    "checkout.session.expired",
    "charge.refunded",
    *DISPUTE_EVENTS,
)


class InvalidWebhook(DomainError):
    code = "invalid_signature"
    default_message = "Invalid Stripe signature."


def stripe_client() -> stripe.StripeClient:
    """A client for the configured account; STRIPE_API_BASE points tests at a local stub."""
    if not settings.STRIPE_SECRET_KEY:
        raise PaymentUnavailable()
    base = getattr(settings, "STRIPE_API_BASE", "")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=0,
    )


def _description(*, registration: Registration | None, group: RegistrationGroup | None) -> str:
    if registration is not None:
        return f"{registration.congress.name} — {registration.category.name}"
    return f"{group.congress.name} — {group.payment_reference}"


def start_checkout(
    *,
    success_url: str,
    cancel_url: str,
    registration: Registration | None = None,
    group: RegistrationGroup | None = None,
    now: datetime.datetime | None = None,
) -> Payment:
    """A Stripe Checkout Session for what is still owed; reuses a live one (so a double
    submit or the back button never opens a second charge). Raises PaymentUnavailable,
    PaymentProviderError."""
    now = now or timezone.now()
    client = stripe_client()
    payers = [registration] if registration is not None else list(group.registrations.all())
    payers = [item for item in payers if item.status == Registration.Status.PENDING_PAYMENT]
    amount = sum(item.amount_outstanding_minor for item in payers)
    congress = (registration or group).congress
    if amount <= 0:
        raise PaymentUnavailable()
    live = Payment.objects.filter(
        registration=registration,
        group=group,
        method=Payment.Method.CARD,
        status=Payment.Status.PENDING,
        amount_minor=amount,
    ).exclude(checkout_url="")
    existing = live.order_by("-created_at").first()
    if existing is not None:
        return existing
    payment = Payment.objects.create(
        congress=congress,
        registration=registration,
        group=group,
        method=Payment.Method.CARD,
        amount_minor=amount,
        currency=congress.currency,
    )
    metadata = {"payment_id": str(payment.pk), "congress": congress.slug}
    if registration is not None:
        metadata["registration_id"] = str(registration.pk)
    else:
        metadata["group_id"] = str(group.pk)
    hold = max(item.hold_expires_at or now for item in payers)
    expires_at = min(
        max(hold, now + datetime.timedelta(minutes=31)), now + datetime.timedelta(hours=23)
    )
    try:
        session = client.v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": congress.currency.lower(),
                            "unit_amount": amount,
                            "product_data": {
                                "name": _description(registration=registration, group=group)
                            },
                        },
                    }
                ],
                "metadata": metadata,
                "client_reference_id": f"payment-{payment.pk}",
                "success_url": success_url,
                "cancel_url": cancel_url,
                "expires_at": int(expires_at.timestamp()),
            },
            options={"idempotency_key": f"checkout-payment-{payment.pk}"},
        )
    except stripe.StripeError as error:
        payment.status = Payment.Status.FAILED
        payment.save(update_fields=["status"])
        logger.warning("Stripe checkout creation failed: %s", type(error).__name__)
        raise PaymentProviderError() from error
    payment.stripe_checkout_session_id = session.id
    payment.checkout_url = session.url or ""
    payment.save(update_fields=["stripe_checkout_session_id", "checkout_url"])
    return payment


def settle_checkout_session(*, session_id: str, now: datetime.datetime | None = None) -> Payment:
    """Ask Stripe about a Checkout Session and settle our payment accordingly (idempotent).

    Locks the payment row, then the registrations it pays. A paid session confirms exactly
    once and then takes the refunds Stripe already made on its charge (a `charge.refunded`
    that arrived before `checkout.session.completed` is not lost); an expired one marks the
    payment expired; anything else changes nothing.
    """
    now = now or timezone.now()
    try:
        session = stripe_client().v1.checkout.sessions.retrieve(session_id)
    except stripe.StripeError as error:
        raise PaymentProviderError() from error
    unwanted, was_applied, settled_now = 0, True, False
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(stripe_checkout_session_id=session_id)
        if payment.status != Payment.Status.PENDING:
            return payment
        if session.payment_status == "paid":
            unwanted, was_applied = _settle_paid_locked(payment, session, now)
            settled_now = True
        elif session.status == "expired":
            payment.status = Payment.Status.EXPIRED
            payment.save(update_fields=["status"])
            record_audit(action="payment.card_expired", congress=payment.congress, target=payment)
    if unwanted:
        _refund_card_payment(payment, amount_minor=unwanted, actor=None, was_applied=was_applied)
    if settled_now and was_applied and payment.stripe_payment_intent_id:
        _sync_intent_refunds(payment)
    return payment


def _sync_intent_refunds(payment: Payment) -> None:
    """Take the refunds Stripe made on the charges of the payment's PaymentIntent."""
    try:
        charges = stripe_client().v1.charges.list(
            params={"payment_intent": payment.stripe_payment_intent_id}
        )
    except stripe.StripeError as error:
        raise PaymentProviderError() from error
    _apply_refunded(payment.pk, sum(charge.amount_refunded for charge in charges.data))


def _payment_for_intent(intent: str) -> Payment | None:
    """Our payment for a PaymentIntent. When Stripe tells us about its charge (a refund, a
    dispute) before `checkout.session.completed` arrived, the Checkout Session is found on
    Stripe and settled first, so the later fact applies to a settled payment."""
    if not intent:
        return None
    payment = Payment.objects.filter(stripe_payment_intent_id=intent).first()
    if payment is not None:
        return payment
    try:
        sessions = stripe_client().v1.checkout.sessions.list(params={"payment_intent": intent})
    except stripe.StripeError as error:
        raise PaymentProviderError() from error
    for session in sessions.data:
        if Payment.objects.filter(stripe_checkout_session_id=session.id).exists():
            return settle_checkout_session(session_id=session.id)
    return None


def _settle_paid_locked(payment: Payment, session, now: datetime.datetime) -> tuple[int, bool]:
    """Record a paid session and apply it; returns what must go back to the payer: all of it
    when the fee was already paid (a second completed checkout), or the share of anyone
    whose seat was released before the money arrived and whose category is now full."""
    already_paid = _outstanding_for(payment) == 0
    payment.status = Payment.Status.SUCCEEDED
    payment.amount_minor = session.amount_total
    payment.stripe_payment_intent_id = session.payment_intent or ""
    payment.settled_at = now
    payment.save()
    if already_paid:
        record_audit(
            action="payment.duplicate",
            congress=payment.congress,
            target=payment,
            detail={"amount_minor": payment.amount_minor},
        )
        return payment.amount_minor, False
    confirmed = apply_payment_locked(payment, now=now)
    record_audit(
        action="payment.card_succeeded",
        congress=payment.congress,
        target=payment,
        detail={"amount_minor": payment.amount_minor, "confirmed": [item.pk for item in confirmed]},
    )
    payers = (
        [payment.registration] if payment.registration_id else payment.group.registrations.all()
    )
    unwanted = sum(
        item.amount_paid_minor
        for item in Registration.objects.filter(
            pk__in=[payer.pk for payer in payers], status_reason="paid_without_seat"
        )
    )
    return unwanted, True


def _outstanding_for(payment: Payment) -> int:
    if payment.registration_id:
        registration = Registration.objects.get(pk=payment.registration_id)
        return (
            registration.amount_outstanding_minor
            if registration.is_active or (registration.status_reason == "hold_expired")
            else 0
        )
    return sum(
        item.amount_outstanding_minor
        for item in payment.group.registrations.all()
        if item.status == Registration.Status.PENDING_PAYMENT
        or item.status_reason == "hold_expired"
    )


def sync_charge_refunds(*, charge_id: str) -> Payment | None:
    """Take the refunded amount from Stripe's Charge (refunds made in the dashboard too).

    Idempotent and order-proof: the Charge is re-fetched, so two partial refunds whose
    events arrive in either order end at Stripe's total, and a refund that arrives before
    the payment was settled settles it first."""
    try:
        charge = stripe_client().v1.charges.retrieve(charge_id)
    except stripe.StripeError as error:
        raise PaymentProviderError() from error
    payment = _payment_for_intent(charge.payment_intent or "")
    if payment is None or payment.status != Payment.Status.SUCCEEDED:
        return payment
    return _apply_refunded(payment.pk, charge.amount_refunded)


def _apply_refunded(payment_pk: int, amount_refunded: int) -> Payment:
    """Set the payment's refunded amount to Stripe's figure and spread the increase over the
    registrations it paid. Locks the payment row."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_pk)
        amount_refunded = min(amount_refunded, payment.amount_minor)
        if amount_refunded <= payment.refunded_minor:
            return payment
        delta = amount_refunded - payment.refunded_minor
        payment.refunded_minor = amount_refunded
        payment.save(update_fields=["refunded_minor"])
        _spread_refund(payment, delta)
        record_audit(
            action="payment.refunded",
            congress=payment.congress,
            target=payment,
            detail={"refunded_minor": payment.refunded_minor},
        )
    return payment


def sync_dispute(*, dispute_id: str) -> Payment | None:
    """Take a dispute's state from Stripe (order-proof: the Dispute is re-fetched).

    A lost dispute counts like a refund of its amount on the registrations paid, once; an
    open or won one is recorded on the payment for the organisers. Locks the payment row.
    """
    try:
        dispute = stripe_client().v1.disputes.retrieve(dispute_id)
    except stripe.StripeError as error:
        raise PaymentProviderError() from error
    payment = _payment_for_intent(dispute.payment_intent or "")
    if payment is None or payment.status != Payment.Status.SUCCEEDED:
        return payment
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        room = payment.amount_minor - payment.refunded_minor
        lost = min(dispute.amount, room) if dispute.status == "lost" else 0
        if (payment.dispute_status, payment.dispute_lost_minor) == (dispute.status, lost):
            return payment
        delta = lost - payment.dispute_lost_minor
        payment.stripe_dispute_id = dispute.id
        payment.dispute_status = dispute.status
        payment.dispute_lost_minor = max(lost, payment.dispute_lost_minor)
        payment.save(update_fields=["stripe_dispute_id", "dispute_status", "dispute_lost_minor"])
        if delta > 0:
            _spread_refund(payment, delta)
        record_audit(
            action="payment.disputed",
            congress=payment.congress,
            target=payment,
            detail={"status": dispute.status, "lost_minor": payment.dispute_lost_minor},
        )
    return payment


def _spread_refund(payment: Payment, delta: int) -> None:
    payers = (
        [payment.registration]
        if payment.registration_id
        else list(payment.group.registrations.order_by("pk"))
    )
    for registration in payers:
        share = min(delta, registration.amount_paid_minor - registration.amount_refunded_minor)
        if share <= 0:
            continue
        Registration.objects.filter(pk=registration.pk).update(
            amount_refunded_minor=F("amount_refunded_minor") + share
        )
        delta -= share
    # A refund lowers what the payer owes: invoiced payers get a credit note.
    reconcile_invoices(registration=payment.registration, group=payment.group)


def refund_registration(
    *, registration: Registration, amount_minor: int, actor: AbstractBaseUser | None = None
) -> int:
    """Refund up to `amount_minor` of the registration's card payments through Stripe.

    Transfer payments cannot be refunded automatically: the remainder is recorded as
    `refund.due` for the organisers. Returns the amount refunded by card.
    """
    remaining = amount_minor
    refunded = 0
    card_payments = Payment.objects.filter(
        registration=registration, method=Payment.Method.CARD, status=Payment.Status.SUCCEEDED
    ).exclude(stripe_payment_intent_id="")
    for payment in card_payments:
        share = min(remaining, payment.amount_minor - payment.refunded_minor)
        if share <= 0:
            continue
        if not _refund_card_payment(payment, amount_minor=share, actor=actor):
            continue
        remaining -= share
        refunded += share
    if remaining > 0:
        record_audit(
            action="refund.due",
            congress=registration.congress,
            actor=actor,
            target=registration,
            detail={"amount_minor": remaining},
        )
    return refunded


def _refund_card_payment(
    payment: Payment,
    *,
    amount_minor: int,
    actor: AbstractBaseUser | None,
    was_applied: bool = True,
) -> bool:
    """Refund part of one card payment through Stripe; True when Stripe accepted it.

    `was_applied` is False for a duplicate payment that never counted towards a fee."""
    try:
        stripe_client().v1.refunds.create(
            params={"payment_intent": payment.stripe_payment_intent_id, "amount": amount_minor},
            options={"idempotency_key": f"refund-{payment.pk}-{payment.refunded_minor}"},
        )
    except stripe.StripeError:
        record_audit(
            action="refund.failed",
            congress=payment.congress,
            actor=actor,
            target=payment,
            detail={"amount_minor": amount_minor},
        )
        return False
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        locked.refunded_minor = min(locked.refunded_minor + amount_minor, locked.amount_minor)
        locked.save(update_fields=["refunded_minor"])
        if was_applied:
            _spread_refund(locked, amount_minor)
    record_audit(
        action="payment.refunded",
        congress=payment.congress,
        actor=actor,
        target=payment,
        detail={"amount_minor": amount_minor},
    )
    return True


def _record_event(event_id: str, event_type: str) -> StripeEvent | None:
    """Store the event id first; returns None when it was already fully processed."""
    try:
        with transaction.atomic():
            return StripeEvent.objects.create(event_id=event_id, type=event_type)
    except IntegrityError:
        event = StripeEvent.objects.get(event_id=event_id)
        return None if event.processed_at else event


def handle_webhook(*, payload: bytes, signature: str) -> str:
    """Verify, record and act on one Stripe event. Returns "processed", "duplicate" or
    "ignored". Raises InvalidWebhook on a bad signature (nothing is recorded)."""
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise InvalidWebhook() from error
    stored = _record_event(event.id, event.type)
    if stored is None:
        return "duplicate"
    obj_id = str(event.data.object.to_dict().get("id", ""))
    if event.type in ("checkout.session.completed", "checkout.session.expired"):
        if Payment.objects.filter(stripe_checkout_session_id=obj_id).exists():
            settle_checkout_session(session_id=obj_id)
    elif event.type == "charge.refunded":
        sync_charge_refunds(charge_id=obj_id)
    elif event.type in DISPUTE_EVENTS:
        sync_dispute(dispute_id=obj_id)
    StripeEvent.objects.filter(pk=stored.pk).update(processed_at=timezone.now())
    return "processed" if event.type in HANDLED_EVENTS else "ignored"


def reconcile_payments(*, older_than_minutes: int = 30, now: datetime.datetime | None = None):
    """Ask Stripe about every card payment still pending after N minutes and settle it; then
    release expired seat holds and waitlist offers. Returns (settled, released)."""
    from registrations.services.waitlist import release_expired

    now = now or timezone.now()
    settled = 0
    if settings.STRIPE_SECRET_KEY:
        cutoff = now - datetime.timedelta(minutes=older_than_minutes)
        for payment in queries.payments_awaiting_stripe(older_than=cutoff).iterator():
            try:
                result = settle_checkout_session(
                    session_id=payment.stripe_checkout_session_id, now=now
                )
            except PaymentProviderError:
                continue
            settled += result.status != Payment.Status.PENDING
    released = release_expired(now=now)
    return settled, released
