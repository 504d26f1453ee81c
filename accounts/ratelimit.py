"""Counting attempts in the cache: at most `count` per `window` seconds for one key.

One helper for every public form that writes or sends mail (sign-up, password reset, e-mail
verification, invitations...). The cache is Redis in production (CACHE_URL), shared by every
worker, and local memory on the embedded defaults.

Fixed windows: the counter's key holds the window's number (time // window), so a window
ends at the same moment on every worker and whatever clock the cache keeps. If the cache is
unreachable the attempt is allowed (logged): a request never fails because Redis is down.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    """`count` attempts per `window` seconds; count 0 turns the limit off."""

    count: int
    window: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """ "3/h", "10/15m", "5/300s"; "0/h" or "" means no limit."""
        if not (text or "").strip():
            return cls(count=0, window=1)
        count, _slash, period = text.strip().partition("/")
        period = period.strip() or "s"
        number = period[:-1].strip() if period[-1] in UNITS else period
        unit = UNITS.get(period[-1], 1)
        window = int(number or 1) * unit
        if int(count) < 0 or window <= 0:
            raise ValueError(f"Bad rate: {text!r}")
        return cls(count=int(count), window=window)


def rate(name: str) -> Rate:
    """The rate named `name` in settings.DIGITAIX_RATE_LIMITS (e.g. "password_reset_email")."""
    return Rate.parse(settings.DIGITAIX_RATE_LIMITS[name])


def hit(*, scope: str, key: str, limit: Rate) -> bool:
    """Count one attempt for (scope, key); True while within the limit, False once over it."""
    if limit.count <= 0:
        return True
    bucket = int(time.time() // limit.window)
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    cache_key = f"digitaix:ratelimit:{scope}:{digest}:{bucket}"
    try:
        cache.add(cache_key, 0, timeout=limit.window + 1)
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this attempt opens a new window
        cache.set(cache_key, 1, timeout=limit.window + 1)
        count = 1
    except Exception:  # noqa: BLE001 - a cache outage must not refuse every request
        logger.warning("Rate limit %s not counted: cache unreachable", scope, exc_info=True)
        return True
    return count <= limit.count


def hit_all(checks: list[tuple[str, str, Rate]]) -> bool:
    """Count one attempt under every (scope, key, rate) given; True only if all allow it.

    Every counter is incremented, even after one refuses, so that hammering with one key
    cannot stay unseen by the others.
    """
    allowed = [hit(scope=scope, key=key, limit=limit) for scope, key, limit in checks]
    return all(allowed)
