"""The client's address, as far as this deployment can know it.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when
DIGITAIX_TRUSTED_PROXIES says how many proxies of ours append to it: the client is then the
address that many entries from the right (the one our outermost proxy saw). With no trusted
proxy (the default) only REMOTE_ADDR counts, whatever headers a client makes up.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address throttling is keyed on (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    proxies = int(getattr(settings, "DIGITAIX_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote
    return _valid(forwarded[-proxies]) or remote


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""
