"""Fixtures for registration tests: an encryption key and a local Stripe stub server.

The stub speaks just enough of Stripe's HTTP API (form-encoded requests, JSON answers) for
the real `stripe` library: Checkout Sessions, Charges and Refunds. It listens on 127.0.0.1
only; no test calls the internet. One server runs per test session (per xdist worker): starting
and stopping one per test cost half a second each (`serve_forever`'s poll interval on shutdown).
Each test gets a fresh `StripeStub` (sessions, charges, refunds, requests, ids), so tests never
see each other's objects.
"""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
import stripe
from cryptography.fernet import Fernet

TEST_ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _encryption_key(monkeypatch):
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", TEST_ENCRYPTION_KEY)


class StripeStub:
    def __init__(self) -> None:
        self.sessions: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.disputes: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict]] = []
        self.fail = False
        self._counter = 0

    def next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}_test_{self._counter}"

    def complete(self, session_id: str) -> dict:
        """What Stripe does when the participant pays: session paid, a charge exists."""
        session = self.sessions[session_id]
        intent = self.next_id("pi")
        charge = self.next_id("ch")
        session.update(status="complete", payment_status="paid", payment_intent=intent)
        self.charges[charge] = {
            "id": charge,
            "object": "charge",
            "payment_intent": intent,
            "amount": session["amount_total"],
            "amount_refunded": 0,
        }
        return self.charges[charge]

    def refund(self, charge_id: str, amount: int) -> None:
        """A refund made in the Stripe dashboard (or by an earlier call)."""
        self.charges[charge_id]["amount_refunded"] += amount

    def dispute(self, charge_id: str, *, status: str = "needs_response") -> dict:
        """The payer's bank disputes the charge; `status` is the dispute's current state."""
        charge = self.charges[charge_id]
        dispute = self.disputes.setdefault(
            f"dp_{charge_id}",
            {
                "id": f"dp_{charge_id}",
                "object": "dispute",
                "charge": charge_id,
                "payment_intent": charge["payment_intent"],
                "amount": charge["amount"],
                "currency": "eur",
            },
        )
        dispute["status"] = status
        charge["disputed"] = True
        return dispute

    def expire(self, session_id: str) -> None:
        self.sessions[session_id].update(status="expired")

    def charge_for(self, session_id: str) -> dict:
        intent = self.sessions[session_id]["payment_intent"]
        return next(item for item in self.charges.values() if item["payment_intent"] == intent)


def _nested(form: list[tuple[str, str]]) -> dict:
    result: dict = {}
    for key, value in form:
        parts = re.findall(r"[^\[\]]+", key)
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


class _StubServer(ThreadingHTTPServer):
    """Stripe's API on 127.0.0.1; `stub` is swapped for a fresh one by each test."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stub = StripeStub()


class _Handler(BaseHTTPRequestHandler):
    server: _StubServer

    def log_message(self, *args) -> None:
        return

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        stub = self.server.stub
        stub.requests.append(("GET", self.path, {}))
        path, _sep, query = self.path.partition("?")
        params = dict(parse_qsl(query))
        if path in ("/v1/checkout/sessions", "/v1/charges"):
            items = stub.sessions if path == "/v1/checkout/sessions" else stub.charges
            found = [
                item
                for item in items.values()
                if item.get("payment_intent") == params.get("payment_intent")
            ]
            return self._reply(200, {"object": "list", "data": found, "has_more": False})
        match = re.fullmatch(r"/v1/disputes/([\w]+)", path)
        if match and match.group(1) in stub.disputes:
            return self._reply(200, stub.disputes[match.group(1)])
        match = re.fullmatch(r"/v1/checkout/sessions/([\w]+)", path)
        if match and match.group(1) in stub.sessions:
            return self._reply(200, stub.sessions[match.group(1)])
        match = re.fullmatch(r"/v1/charges/([\w]+)", path)
        if match and match.group(1) in stub.charges:
            return self._reply(200, stub.charges[match.group(1)])
        return self._reply(404, {"error": {"type": "invalid_request_error"}})

    def do_POST(self) -> None:
        stub = self.server.stub
        length = int(self.headers.get("Content-Length", "0"))
        body = _nested(parse_qsl(self.rfile.read(length).decode()))
        stub.requests.append(("POST", self.path, body))
        if stub.fail:
            return self._reply(500, {"error": {"type": "api_error", "message": "down"}})
        if self.path == "/v1/checkout/sessions":
            session_id = stub.next_id("cs")
            amount = int(body["line_items"]["0"]["price_data"]["unit_amount"])
            stub.sessions[session_id] = {
                "id": session_id,
                "object": "checkout.session",
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
                "status": "open",
                "payment_status": "unpaid",
                "amount_total": amount,
                "currency": body["line_items"]["0"]["price_data"]["currency"],
                "payment_intent": None,
                "metadata": body.get("metadata", {}),
                "success_url": body.get("success_url"),
            }
            return self._reply(200, stub.sessions[session_id])
        if self.path == "/v1/refunds":
            amount = int(body["amount"])
            charge = next(
                item
                for item in stub.charges.values()
                if item["payment_intent"] == body["payment_intent"]
            )
            charge["amount_refunded"] += amount
            refund = {"id": stub.next_id("re"), "object": "refund", "amount": amount}
            stub.refunds.append(refund)
            return self._reply(200, refund)
        return self._reply(404, {"error": {"type": "invalid_request_error"}})


@pytest.fixture(scope="session")
def _stripe_server():
    server = _StubServer()
    # A short poll interval: shutdown() waits for the loop to notice, up to one interval.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def stripe_stub(_stripe_server, settings):
    stub = StripeStub()
    _stripe_server.stub = stub
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_stripe_server.server_address[1]}"
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_fake"
    return stub


def signed_event(event_type: str, obj: dict, *, event_id: str, secret: str = "whsec_test_fake"):  # noqa: S107 - the test settings fake secret
    """(payload, Stripe-Signature header) signed with the real scheme."""
    payload = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "data": {"object": obj},
        }
    )
    header = stripe.WebhookSignature.generate_signature_header(payload, secret)
    return payload, header
