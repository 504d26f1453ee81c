"""A local fake of a Web Push service (RFC 8030), and the browsers subscribed to it.

Mocking pywebpush would test nothing of the push: this is a real HTTP server (a thread) that
takes the POSTs our workers make and checks them as a push service and a browser would:

- the VAPID `Authorization: vapid t=<JWT>,k=<key>` header (RFC 8292): `k` is the portal's
  public key, the JWT's ES256 signature verifies with it, its `aud` is the endpoint's origin
  and its `exp` is in the future (and at most 24 h ahead);
- the body is decrypted (RFC 8291, aes128gcm, with `http_ece`) with the private key and the
  auth secret of the subscription, which the test made itself, as a browser does.

A request failing a check is answered 401/403 and listed in `errors`. Each browser's answers
can be scripted (`browser.answers = [500, 201]`, `[410]`); 201 otherwise.
"""

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

__all__ = ["Browser", "FakePushService", "b64url", "fake_push", "vapid_pair"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _public_bytes(private_key: ec.EllipticCurvePrivateKey) -> bytes:
    return private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def vapid_pair() -> tuple[str, str]:
    """A VAPID key pair (public point, raw private value), base64url, made here rather than
    by the code under test."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(_public_bytes(key)), b64url(key.private_numbers().private_value.to_bytes(32))


@dataclass
class Browser:
    """One browser's push subscription: its own key pair and auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    answers: list[int] = field(default_factory=list)
    received: list[dict] = field(default_factory=list)  # the payloads answered 2xx
    attempts: int = 0

    @property
    def p256dh(self) -> str:
        return b64url(_public_bytes(self.private_key))

    def subscription_json(self) -> dict:
        """What the browser's `PushSubscription.toJSON()` gives."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }


class FakePushService:
    def __init__(self, *, vapid_public_key: str) -> None:
        self.vapid_public_key = vapid_public_key
        self.base_url = ""
        self.browsers: dict[str, Browser] = {}
        self.errors: list[str] = []
        self.headers: list[dict] = []
        self._lock = threading.Lock()

    def browser(self) -> Browser:
        """A new subscription on this service."""
        path = f"/push/{secrets.token_urlsafe(24)}"
        browser = Browser(endpoint=self.base_url + path)
        self.browsers[path] = browser
        return browser

    @property
    def delivered(self) -> list[dict]:
        return [payload for browser in self.browsers.values() for payload in browser.received]

    def handle(self, path: str, headers: Any, body: bytes) -> int:
        browser = self.browsers.get(path)
        if browser is None:
            return 404
        with self._lock:
            browser.attempts += 1
            status = browser.answers.pop(0) if browser.answers else 201
        problem = self._vapid_problem(headers.get("Authorization", ""))
        if problem:
            self.errors.append(problem)
            return 403
        if headers.get("Content-Encoding") != "aes128gcm" or not headers.get("TTL"):
            self.errors.append("not an aes128gcm push with a TTL")
            return 400
        if 200 <= status < 300:
            plain = http_ece.decrypt(
                body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
            )
            browser.received.append(json.loads(plain))
            self.headers.append({key.lower(): value for key, value in headers.items()})
        return status

    def _vapid_problem(self, header: str) -> str:
        """Why the Authorization header is not a valid VAPID one ("" when it is)."""
        scheme, _, params = header.partition(" ")
        parts = dict(part.split("=", 1) for part in params.split(",") if "=" in part)
        if scheme != "vapid" or set(parts) != {"t", "k"}:
            return f"not a VAPID header: {header!r}"
        if parts["k"] != self.vapid_public_key:
            return "signed with another key than the portal's"
        signed, _, signature = parts["t"].rpartition(".")
        raw = _unb64url(signature)
        der = utils.encode_dss_signature(
            int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
        )
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64url(parts["k"]))
        try:
            public.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return "bad JWT signature"
        claims = json.loads(_unb64url(signed.split(".")[1]))
        if claims.get("aud") != self.base_url:
            return f"aud {claims.get('aud')!r} is not {self.base_url!r}"
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            return f"exp {claims.get('exp')} not within the next 24 h"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "no contact (sub)"
        return ""


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Keep the test output quiet."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status = self.server.fake.handle(self.path, self.headers, body)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakePushService) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


@pytest.fixture
def fake_push(settings) -> Iterator[FakePushService]:
    """The portal given a VAPID key pair, and a push service on a free local port that its
    subscriptions may point at (plain HTTP to 127.0.0.1 only, for this test)."""
    public, private = vapid_pair()
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = public, private
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:mairie@example.fr"
    settings.WEBPUSH_SERVICE_HOSTS = ["http://127.0.0.1"]
    fake = FakePushService(vapid_public_key=public)
    server = _Server(fake)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
