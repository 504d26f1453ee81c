"""Web Push: one push of the outbox sent to one browser, signed with the portal's VAPID key.

A push row (a kind registered with `push=`, see `messaging.registry`) names its subscription
in its context (`subscription_id`); the kind builds its payload at send time, pywebpush
encrypts it for that browser (aes128gcm, RFC 8291) and signs the request with our VAPID key
(RFC 8292). What the push service answers decides the row's fate (`push_deliver`):

- 2xx: delivered; the subscription's `last_success_at` is set.
- 404 or 410: the browser unsubscribed, or the subscription expired: the subscription is
  deleted and the row closed unsent, never retried.
- 429, 5xx, a timeout, no connection: temporary. `PushTemporaryError` (a ConnectionError, which
  the outbox's task retries with back-off) leaves the row unsent; the relay catches up after.
- any other 4xx (a key refused, a payload too large): closed unsent with the answer, since the
  same request would be refused again.

With no key pair configured, push is off: nothing is written, and a row left over is closed.
"""

import base64
import json
import logging
from functools import lru_cache

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from messaging.models import OutboxMessage, PushSubscription
from messaging.registry import PushBuilder

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# How long the push service keeps a push for a phone that is off or offline: a new order
# announced in the evening still rings when the phone wakes up in the morning.
TTL_SECONDS = 12 * 3600
GONE = (404, 410)


class PushTemporaryError(ConnectionError):
    """The push service could not take the push now (5xx, 429, timeout): try again later."""


def push_enabled() -> bool:
    """Whether the portal has a VAPID key pair, without which no push can be sent."""
    return bool(settings.WEBPUSH_VAPID_PUBLIC_KEY and settings.WEBPUSH_VAPID_PRIVATE_KEY)


def vapid_keys_generate() -> tuple[str, str]:
    """A fresh VAPID key pair as (public, private): the public key as browsers take it
    (`applicationServerKey`, an uncompressed P-256 point) and the private key as its raw
    32 bytes, both base64url without padding."""
    vapid = Vapid()
    vapid.generate_keys()
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return _b64url(public), _b64url(private)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@lru_cache(maxsize=2)
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


def push_deliver(*, message: OutboxMessage, build: PushBuilder) -> str:
    """Send one push row; "" once delivered, else why it is closed unsent.

    Raises PushTemporaryError when the push service may take it later (the row stays unsent).
    Runs inside `message_send`'s transaction, the row locked: a subscription found gone is
    deleted with the row's closing."""
    if not push_enabled():
        return "notifications push désactivées (pas de clés VAPID)"
    subscription = PushSubscription.objects.filter(
        pk=(message.context or {}).get("subscription_id")
    ).first()
    if subscription is None:
        return "abonnement supprimé entre-temps"
    payload = build(message)
    if payload is None:
        return "sans objet au moment de l'envoi"
    try:
        status = _post(subscription, payload)
    except WebPushException as error:  # refused before sending (a malformed key): not retried
        logger.warning("push to subscription %s not sent: %s", subscription.pk, error)
        return f"non envoyé : {error}"[:2000]
    if status in GONE:
        subscription.delete()
        return f"abonnement expiré ({status}) : supprimé"
    if status == 429 or status >= 500:
        raise PushTemporaryError(f"service de notification indisponible ({status})")
    if status >= 300:
        return f"refusé par le service de notification ({status})"
    subscription.last_success_at = timezone.now()
    subscription.save(update_fields=["last_success_at"])
    return ""


def _post(subscription: PushSubscription, payload: dict) -> int:
    """POST the encrypted payload to the subscription's push service; its HTTP status."""
    try:
        response = webpush(
            subscription.as_subscription_info(),
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=_vapid(settings.WEBPUSH_VAPID_PRIVATE_KEY),
            # A new dict each time: pywebpush writes the audience and expiry into it.
            vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
            timeout=TIMEOUT_SECONDS,
            ttl=TTL_SECONDS,
            headers={"Urgency": "high"},
        )
    except WebPushException as error:
        if error.response is None:
            raise
        return error.response.status_code
    except requests.RequestException as error:
        raise PushTemporaryError(f"service de notification injoignable ({error})") from error
    return response.status_code
