"""Validly signed but malformed Stripe events are acknowledged and recorded as rejected
(issue 17): Stripe stops retrying them and nothing else changes."""

import json

import pytest
import stripe

from registrations.models import Registration, StripeEvent

pytestmark = pytest.mark.django_db


def _post(client, document) -> tuple[int, dict]:
    payload = json.dumps(document)
    header = stripe.WebhookSignature.generate_signature_header(payload, "whsec_test_fake")
    response = client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("document", "event_id", "reason"),
    [
        ({}, None, "no_id"),
        (
            {"id": "evt_nodata", "type": "checkout.session.completed"},
            "evt_nodata",
            "no_data_object",
        ),
        (
            {"id": "evt_null", "type": "charge.refunded", "data": {"object": None}},
            "evt_null",
            "no_data_object",
        ),
        (
            {"id": "evt_objid", "type": "charge.refunded", "data": {"object": {"id": 7}}},
            "evt_objid",
            "bad_object_id",
        ),
        ([1, 2], None, "not_an_object"),
    ],
)
def test_malformed_signed_event_is_acknowledged_and_recorded_rejected_once(
    client, document, event_id, reason
):
    first = _post(client, document)
    retry = _post(client, document)

    event = StripeEvent.objects.get()
    assert (first, retry) == ((200, {"result": "rejected"}), (200, {"result": "duplicate"}))
    assert event.rejected_reason == reason
    assert event.event_id == event_id or event.event_id.startswith("malformed:")
    assert Registration.objects.count() == 0
