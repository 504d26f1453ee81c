"""The browser's push subscription, checked strictly before anything is saved.

A browser posts `PushSubscription.toJSON()`: `{"endpoint": ..., "expirationTime": null,
"keys": {"p256dh": ..., "auth": ...}}`. Anything else (another shape, an endpoint that is not
one of the known push services over HTTPS, keys that are not a P-256 point and a 16-byte
secret) is refused with a French message: our workers will POST to that endpoint, and
pywebpush will encrypt for those keys.
"""

import base64
import binascii
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ENDPOINT_MAX = 1000
INVALID = _("Cet abonnement aux notifications n'est pas valable.")
UNKNOWN_SERVICE = _("Ce service de notification n'est pas accepté par le portail.")


def _b64url_decode(value: str) -> bytes:
    if not value.isascii() or not value.replace("-", "").replace("_", "").isalnum():
        raise ValueError(value)
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def subscription_fields(data: object) -> dict | None:
    """The form's fields from the posted JSON, or None when its shape is not a browser's."""
    if not isinstance(data, dict) or not set(data) <= {"endpoint", "expirationTime", "keys"}:
        return None
    keys = data.get("keys")
    expiration = data.get("expirationTime")
    if not isinstance(keys, dict) or set(keys) != {"p256dh", "auth"}:
        return None
    if isinstance(expiration, bool) or not isinstance(expiration, int | float | None):
        return None
    fields = {"endpoint": data.get("endpoint"), **keys}
    if not all(isinstance(value, str) for value in fields.values()):
        return None
    return fields


def endpoint_allowed(endpoint: str) -> bool:
    """HTTPS to one of the push services (WEBPUSH_SERVICE_HOSTS, host suffixes); an entry
    written with its scheme (`http://127.0.0.1`, tests' local fake) is that exact host."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    for allowed in settings.WEBPUSH_SERVICE_HOSTS:
        if "://" in allowed:
            scheme, _, exact = allowed.partition("://")
            if parts.scheme == scheme and host == exact.lower():
                return True
        elif parts.scheme == "https" and (host == allowed or host.endswith("." + allowed)):
            return True
    return False


class PushSubscriptionForm(forms.Form):
    endpoint = forms.URLField(max_length=ENDPOINT_MAX, assume_scheme="https")
    p256dh = forms.CharField(max_length=100)
    auth = forms.CharField(max_length=50)

    def refusal(self) -> str:
        """One message for the browser's script to show: which check failed is no help to a
        shopkeeper, but an unknown push service is worth naming."""
        if self.has_error("endpoint", code="unknown_service"):
            return str(UNKNOWN_SERVICE)
        return str(INVALID)

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        if endpoint != self.data["endpoint"]:  # kept as the browser wrote it, or refused
            raise forms.ValidationError(INVALID)
        if not endpoint_allowed(endpoint):
            raise forms.ValidationError(UNKNOWN_SERVICE, code="unknown_service")
        return endpoint

    def clean_p256dh(self) -> str:
        value = self.cleaned_data["p256dh"]
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64url_decode(value))
        except (ValueError, binascii.Error):
            raise forms.ValidationError(INVALID) from None
        return value

    def clean_auth(self) -> str:
        value = self.cleaned_data["auth"]
        try:
            secret = _b64url_decode(value)
        except (ValueError, binascii.Error):
            raise forms.ValidationError(INVALID) from None
        if len(secret) != 16:
            raise forms.ValidationError(INVALID)
        return value
