"""A local fake of the part of the Stripe HTTP API that Digitaix uses.

Stripe cannot be reached from tests, and mocking stripe-python would test nothing of how we call it:
this server speaks the wire format instead (form-encoded requests, JSON objects and Stripe-shaped
errors), so the real library runs end to end with ``stripe.api_base`` pointed here.
"""

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from tests.fakes.stripe_resources import FakeStripe, StripeFakeError, form_decode

__all__ = ["API_KEY", "FakeStripe", "fake_stripe", "sign_webhook"]

API_KEY = "sk_test_digitaix_fake"


def sign_webhook(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A real ``Stripe-Signature`` header: HMAC-SHA256 of ``"{t}.{payload}"`` with the secret."""
    t = int(time.time()) if timestamp is None else timestamp
    signed = f"{t}.".encode() + payload
    v1 = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={t},v1={v1}"


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Keep the test output quiet."""

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        pairs = parse_qsl(url.query, keep_blank_values=True)
        pairs += parse_qsl(body, keep_blank_values=True)
        try:
            self._authenticate()
            status, payload = self.server.fake.handle(
                method, url.path, form_decode(pairs), self.headers.get("Idempotency-Key")
            )
        except StripeFakeError as error:
            detail = {"type": error.type, "message": str(error)}
            detail.update({k: v for k, v in (("code", error.code), ("param", error.param)) if v})
            status, payload = error.status, {"error": detail}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", f"req_{secrets.token_hex(8)}")
        self.end_headers()
        self.wfile.write(data)

    def _authenticate(self) -> None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise StripeFakeError(401, "You did not provide an API key.")
        key = header.removeprefix("Bearer ")
        if key != self.server.api_key:
            masked = f"{key[:8]}{'*' * max(len(key) - 12, 0)}{key[-4:]}"
            raise StripeFakeError(401, f"Invalid API Key provided: {masked}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeStripe, api_key: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake, self.api_key = fake, api_key


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    """A fresh fake Stripe on a free local port; stripe-python points at it for the test."""
    fake = FakeStripe()
    server = _Server(fake, API_KEY)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    saved = (stripe.api_base, stripe.api_key, stripe.max_network_retries)
    stripe.api_base, stripe.api_key, stripe.max_network_retries = fake.base_url, API_KEY, 0
    try:
        yield fake
    finally:
        stripe.api_base, stripe.api_key, stripe.max_network_retries = saved
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
