import datetime

import pytest
from django.utils import timezone

from congress.models import AuditEvent
from registrations import services
from registrations.exceptions import PaymentUnavailable
from registrations.models import Payment, Registration, StripeEvent
from registrations.signals import registration_confirmed
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory
from tests.registrations.conftest import signed_event

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def card_registration(congress, stripe_stub):
    category = RegistrationCategoryFactory(congress=congress, capacity=10)
    FeeRuleFactory(category=category, amount_minor=25000)
    return services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(email="card@example.org", name="Card Payer"),
        payment_method="card",
        send_email=False,
    ).registration


@pytest.fixture
def confirmations():
    received = []

    def handler(sender, registration, **kwargs):
        received.append(registration.pk)

    registration_confirmed.connect(handler)
    yield received
    registration_confirmed.disconnect(handler)


def checkout(registration):
    return services.start_checkout(
        registration=registration,
        success_url="http://testserver/ok?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="http://testserver/cancel",
    )


def post_event(client, payload, header):
    return client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )


def test_start_checkout_amount_comes_from_the_server(card_registration, stripe_stub):
    payment = checkout(card_registration)

    session = stripe_stub.sessions[payment.stripe_checkout_session_id]
    assert session["amount_total"] == 25000
    assert session["metadata"]["registration_id"] == str(card_registration.pk)
    assert payment.checkout_url == f"https://checkout.stripe.com/c/pay/{session['id']}"


def test_start_checkout_twice_reuses_the_open_session(card_registration, stripe_stub):
    first = checkout(card_registration)

    second = checkout(card_registration)

    assert second.pk == first.pk
    assert len(stripe_stub.sessions) == 1


def test_start_checkout_without_stripe_key_is_unavailable(card_registration, settings):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(PaymentUnavailable):
        checkout(card_registration)

    assert Payment.objects.count() == 0


def test_webhook_completed_confirms_once_even_when_replayed(
    client, card_registration, stripe_stub, confirmations, django_capture_on_commit_callbacks
):
    payment = checkout(card_registration)
    stripe_stub.complete(payment.stripe_checkout_session_id)
    payload, header = signed_event(
        "checkout.session.completed",
        {"id": payment.stripe_checkout_session_id, "object": "checkout.session"},
        event_id="evt_1",
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, payload, header)
        replay = post_event(client, payload, header)

    card_registration.refresh_from_db()
    assert (first.json(), replay.json()) == ({"result": "processed"}, {"result": "duplicate"})
    assert (card_registration.status, card_registration.amount_paid_minor) == (S.CONFIRMED, 25000)
    assert confirmations == [card_registration.pk]
    assert StripeEvent.objects.filter(event_id="evt_1").count() == 1


def test_webhook_payload_is_not_trusted_session_refetched(client, card_registration, stripe_stub):
    payment = checkout(card_registration)
    payload, header = signed_event(
        "checkout.session.completed",
        {
            "id": payment.stripe_checkout_session_id,
            "object": "checkout.session",
            "payment_status": "paid",
        },
        event_id="evt_forged_state",
    )

    post_event(client, payload, header)

    card_registration.refresh_from_db()
    assert card_registration.status == S.PENDING_PAYMENT


def test_webhook_bad_signature_is_refused_and_not_recorded(client, card_registration, stripe_stub):
    payment = checkout(card_registration)
    stripe_stub.complete(payment.stripe_checkout_session_id)
    payload, _header = signed_event(
        "checkout.session.completed",
        {"id": payment.stripe_checkout_session_id},
        event_id="evt_bad",
    )
    _payload, forged = signed_event("x", {}, event_id="evt_bad", secret="whsec_wrong")

    response = post_event(client, payload, forged)

    card_registration.refresh_from_db()
    assert (response.status_code, response.json()) == (400, {"code": "invalid_signature"})
    assert StripeEvent.objects.count() == 0
    assert card_registration.status == S.PENDING_PAYMENT


def test_webhook_expired_after_completed_changes_nothing(client, card_registration, stripe_stub):
    payment = checkout(card_registration)
    session_id = payment.stripe_checkout_session_id
    stripe_stub.complete(session_id)
    completed = signed_event("checkout.session.completed", {"id": session_id}, event_id="evt_c")
    expired = signed_event("checkout.session.expired", {"id": session_id}, event_id="evt_e")

    post_event(client, *expired)
    post_event(client, *completed)

    payment.refresh_from_db()
    card_registration.refresh_from_db()
    assert (payment.status, card_registration.status) == (Payment.Status.SUCCEEDED, S.CONFIRMED)


def test_webhook_expired_session_marks_payment_expired(client, card_registration, stripe_stub):
    payment = checkout(card_registration)
    stripe_stub.expire(payment.stripe_checkout_session_id)

    post_event(
        client,
        *signed_event(
            "checkout.session.expired", {"id": payment.stripe_checkout_session_id}, event_id="e"
        ),
    )

    payment.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED


def test_webhook_charge_refunded_in_dashboard_is_picked_up(client, card_registration, stripe_stub):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    services.settle_checkout_session(session_id=payment.stripe_checkout_session_id)
    charge["amount_refunded"] = 10000  # refunded by hand in the Stripe dashboard

    post_event(client, *signed_event("charge.refunded", {"id": charge["id"]}, event_id="evt_r"))

    payment.refresh_from_db()
    card_registration.refresh_from_db()
    assert (payment.refunded_minor, card_registration.amount_refunded_minor) == (10000, 10000)


def test_cancel_refunds_card_payment_through_stripe(card_registration, stripe_stub):
    payment = checkout(card_registration)
    stripe_stub.complete(payment.stripe_checkout_session_id)
    services.settle_checkout_session(session_id=payment.stripe_checkout_session_id)

    _registration, refund = services.cancel_registration(registration=card_registration)

    payment.refresh_from_db()
    assert refund == 25000
    assert [item["amount"] for item in stripe_stub.refunds] == [25000]
    assert payment.refunded_minor == 25000


def test_reconcile_settles_paid_session_missed_by_webhook(card_registration, stripe_stub):
    payment = checkout(card_registration)
    stripe_stub.complete(payment.stripe_checkout_session_id)

    settled, _released = services.reconcile_payments(
        older_than_minutes=30, now=timezone.now() + datetime.timedelta(minutes=31)
    )

    card_registration.refresh_from_db()
    assert settled == 1
    assert card_registration.status == S.CONFIRMED
    assert AuditEvent.objects.filter(action="payment.card_succeeded").count() == 1


def test_reconcile_leaves_recent_pending_payment_alone(card_registration, stripe_stub):
    payment = checkout(card_registration)
    stripe_stub.complete(payment.stripe_checkout_session_id)

    settled, _released = services.reconcile_payments(older_than_minutes=30)

    card_registration.refresh_from_db()
    assert settled == 0
    assert card_registration.status == S.PENDING_PAYMENT


def test_group_card_payment_is_one_checkout_confirming_every_delegate(
    client, congress, stripe_stub
):
    from tests.factories.members import OrganisationFactory

    category = RegistrationCategoryFactory(congress=congress, capacity=10)
    FeeRuleFactory(category=category, amount_minor=10000)
    response = client.post(
        f"/en/congresses/{congress.slug}/register/group/",
        {
            "category": category.pk,
            "organisation": OrganisationFactory().pk,
            "contact_name": "Contact",
            "contact_email": "contact@example.org",
            "language": "en",
            "payment_method": "card",
            "delegates-TOTAL_FORMS": "2",
            "delegates-INITIAL_FORMS": "0",
            "delegates-MIN_NUM_FORMS": "1",
            "delegates-MAX_NUM_FORMS": "50",
            "delegates-0-name": "One",
            "delegates-0-email": "one@example.org",
            "delegates-0-country": "FR",
            "delegates-1-name": "Two",
            "delegates-1-email": "two@example.org",
            "delegates-1-country": "FR",
        },
    )
    (session_id,) = stripe_stub.sessions
    stripe_stub.complete(session_id)

    services.settle_checkout_session(session_id=session_id)

    assert response["Location"] == f"https://checkout.stripe.com/c/pay/{session_id}"
    assert stripe_stub.sessions[session_id]["amount_total"] == 20000
    assert list(Registration.objects.order_by("pk").values_list("status", "amount_paid_minor")) == [
        (S.CONFIRMED, 10000),
        (S.CONFIRMED, 10000),
    ]


def test_second_completed_checkout_is_refunded_not_charged_twice(card_registration, stripe_stub):
    first = checkout(card_registration)
    Payment.objects.filter(pk=first.pk).update(checkout_url="")  # e.g. opened in two tabs
    second = checkout(card_registration)
    stripe_stub.complete(first.stripe_checkout_session_id)
    stripe_stub.complete(second.stripe_checkout_session_id)

    services.settle_checkout_session(session_id=first.stripe_checkout_session_id)
    services.settle_checkout_session(session_id=second.stripe_checkout_session_id)

    card_registration.refresh_from_db()
    second.refresh_from_db()
    assert [item["amount"] for item in stripe_stub.refunds] == [25000]
    assert second.refunded_minor == 25000
    assert (card_registration.amount_paid_minor, card_registration.amount_refunded_minor) == (
        25000,
        0,
    )


def test_late_card_payment_after_seat_released_to_a_full_category_is_refunded(
    congress, stripe_stub
):
    category = RegistrationCategoryFactory(congress=congress, capacity=1)
    FeeRuleFactory(category=category, amount_minor=25000)
    late = services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(email="late@example.org", name="Late"),
        payment_method="card",
        send_email=False,
    ).registration
    payment = checkout(late)
    later = timezone.now() + datetime.timedelta(hours=2)
    services.release_expired(now=later)
    services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(email="new@example.org", name="New"),
        payment_method="transfer",
        send_email=False,
        now=later,
    )
    stripe_stub.complete(payment.stripe_checkout_session_id)

    services.settle_checkout_session(session_id=payment.stripe_checkout_session_id, now=later)

    late.refresh_from_db()
    assert (late.status, late.status_reason) == (S.CANCELLED, "paid_without_seat")
    assert [item["amount"] for item in stripe_stub.refunds] == [25000]
    assert late.amount_refunded_minor == 25000


def test_late_card_payment_with_a_seat_still_free_reinstates(card_registration, stripe_stub):
    payment = checkout(card_registration)
    later = timezone.now() + datetime.timedelta(hours=2)
    services.release_expired(now=later)
    stripe_stub.complete(payment.stripe_checkout_session_id)

    services.settle_checkout_session(session_id=payment.stripe_checkout_session_id, now=later)

    card_registration.refresh_from_db()
    assert card_registration.status == S.CONFIRMED
    assert stripe_stub.refunds == []


# Out-of-order and late events: whatever order Stripe's events arrive in, the payment ends
# at Stripe's state (the handlers re-fetch the objects, never trust the payload's state).


def _completed(session_id, event_id="evt_completed"):
    return signed_event("checkout.session.completed", {"id": session_id}, event_id=event_id)


def _refunded(charge_id, event_id):
    return signed_event("charge.refunded", {"id": charge_id}, event_id=event_id)


def _dispute(event_type, dispute_id, event_id):
    return signed_event(event_type, {"id": dispute_id, "object": "dispute"}, event_id=event_id)


def _state(payment, registration):
    payment.refresh_from_db()
    registration.refresh_from_db()
    return (
        payment.status,
        payment.refunded_minor,
        registration.status,
        registration.amount_paid_minor,
        registration.amount_refunded_minor,
    )


def test_webhook_refund_before_completed_is_not_lost(client, card_registration, stripe_stub):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    stripe_stub.refund(charge["id"], 4000)

    refunded = post_event(client, *_refunded(charge["id"], "evt_refund"))
    completed = post_event(client, *_completed(payment.stripe_checkout_session_id))

    assert (refunded.json(), completed.json()) == (
        {"result": "processed"},
        {"result": "processed"},
    )
    assert _state(payment, card_registration) == (
        Payment.Status.SUCCEEDED,
        4000,
        S.CONFIRMED,
        25000,
        4000,
    )


def test_webhook_refund_before_completed_when_completed_never_comes(
    client, card_registration, stripe_stub
):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    stripe_stub.refund(charge["id"], 4000)

    post_event(client, *_refunded(charge["id"], "evt_refund"))

    assert _state(payment, card_registration) == (
        Payment.Status.SUCCEEDED,
        4000,
        S.CONFIRMED,
        25000,
        4000,
    )


def test_webhook_completed_late_after_refund_event_replayed_changes_nothing(
    client, card_registration, stripe_stub
):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    stripe_stub.refund(charge["id"], 4000)
    refund_event = _refunded(charge["id"], "evt_refund")
    completed_event = _completed(payment.stripe_checkout_session_id)
    post_event(client, *refund_event)
    post_event(client, *completed_event)

    replays = [post_event(client, *refund_event), post_event(client, *completed_event)]

    assert [item.json() for item in replays] == [{"result": "duplicate"}] * 2
    assert _state(payment, card_registration)[1:] == (4000, S.CONFIRMED, 25000, 4000)


@pytest.mark.parametrize("order", ["in_order", "reversed"])
def test_webhook_two_partial_refunds_in_either_order_end_at_stripes_total(
    client, card_registration, stripe_stub, order
):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    post_event(client, *_completed(payment.stripe_checkout_session_id))
    stripe_stub.refund(charge["id"], 1000)
    first = _refunded(charge["id"], "evt_refund_1")
    stripe_stub.refund(charge["id"], 3000)
    second = _refunded(charge["id"], "evt_refund_2")
    events = [first, second] if order == "in_order" else [second, first]

    for event in events:
        post_event(client, *event)

    assert _state(payment, card_registration) == (
        Payment.Status.SUCCEEDED,
        4000,
        S.CONFIRMED,
        25000,
        4000,
    )


def test_webhook_dispute_created_is_recorded_without_touching_the_fee(
    client, card_registration, stripe_stub
):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    post_event(client, *_completed(payment.stripe_checkout_session_id))
    dispute = stripe_stub.dispute(charge["id"], status="needs_response")

    post_event(client, *_dispute("charge.dispute.created", dispute["id"], "evt_dp_1"))

    payment.refresh_from_db()
    assert (payment.dispute_status, payment.dispute_lost_minor) == ("needs_response", 0)
    assert _state(payment, card_registration)[2:] == (S.CONFIRMED, 25000, 0)


@pytest.mark.parametrize("order", ["created_first", "closed_first"])
def test_webhook_lost_dispute_counts_once_in_either_order(
    client, card_registration, stripe_stub, order
):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    post_event(client, *_completed(payment.stripe_checkout_session_id))
    dispute = stripe_stub.dispute(charge["id"], status="needs_response")
    created = _dispute("charge.dispute.created", dispute["id"], "evt_dp_created")
    stripe_stub.dispute(charge["id"], status="lost")
    closed = _dispute("charge.dispute.closed", dispute["id"], "evt_dp_closed")
    events = [created, closed] if order == "created_first" else [closed, created]

    for event in events:
        post_event(client, *event)

    payment.refresh_from_db()
    card_registration.refresh_from_db()
    assert (payment.dispute_status, payment.dispute_lost_minor) == ("lost", 25000)
    assert card_registration.amount_refunded_minor == 25000
    assert AuditEvent.objects.filter(action="payment.disputed").count() == 1


def test_webhook_won_dispute_changes_no_amount(client, card_registration, stripe_stub):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    post_event(client, *_completed(payment.stripe_checkout_session_id))
    dispute = stripe_stub.dispute(charge["id"], status="won")

    post_event(client, *_dispute("charge.dispute.closed", dispute["id"], "evt_dp_won"))

    payment.refresh_from_db()
    assert (payment.dispute_status, payment.dispute_lost_minor) == ("won", 0)
    assert _state(payment, card_registration)[2:] == (S.CONFIRMED, 25000, 0)


def test_webhook_dispute_before_completed_settles_then_records(
    client, card_registration, stripe_stub
):
    payment = checkout(card_registration)
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    dispute = stripe_stub.dispute(charge["id"], status="lost")

    post_event(client, *_dispute("charge.dispute.closed", dispute["id"], "evt_dp"))
    post_event(client, *_completed(payment.stripe_checkout_session_id))

    payment.refresh_from_db()
    assert (payment.dispute_status, payment.dispute_lost_minor) == ("lost", 25000)
    assert _state(payment, card_registration) == (
        Payment.Status.SUCCEEDED,
        0,
        S.CONFIRMED,
        25000,
        25000,
    )
