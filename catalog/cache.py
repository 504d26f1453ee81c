"""A short-lived cache for catalogue-wide aggregates (facet counts, home page figures).

They scan the whole catalogue, are the same for every visitor, and may be a couple of
minutes stale without harm; caching them keeps list pages cheap as the town grows.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")


def aggregate_cached(key_parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`'s value, kept DIGITAIX_AGGREGATES_CACHE_SECONDS under a key of the parts."""
    seconds = settings.DIGITAIX_AGGREGATES_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(repr(key_parts).encode()).hexdigest()[:32]
    key = f"digitaix:aggregate:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
