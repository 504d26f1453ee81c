"""Short-lived caches for what every visitor sees alike: catalogue-wide aggregates (facet
counts, list totals, home page figures) and rendered product cards.

The aggregates scan the whole catalogue and are the same for every visitor; they are kept
under the catalogue's version (`catalogue_version`), so a change shows at once, and caching
them keeps list pages cheap as the town grows. A
cache that cannot be reached (Redis down) only makes pages slower: every read and write here
falls back to computing, never to an error page.
"""

import hashlib
import logging
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.translation import get_language

T = TypeVar("T")

logger = logging.getLogger(__name__)


# What catalog/pagecache.py leaves where a visitor's own part goes while it records a page (a
# hole, the form token, the nonce): a fragment holding one is never kept on its own.
PERSONAL_MARK = "\x00dx-"


def cache_key(prefix: str, parts: tuple) -> str:
    """A short cache key for any tuple of plain values (repr, hashed)."""
    return f"digitaix:{prefix}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    """`cache.get_many`, or nothing found when the cache cannot be reached."""
    try:
        return cache.get_many(keys)
    except Exception:  # the backend's own errors (redis.ConnectionError...): not fatal here
        logger.warning("Cache unreachable: computing instead", exc_info=True)
        return {}


def cache_set_many(values: dict[str, Any], seconds: int) -> None:
    """`cache.set_many`, skipped when the cache cannot be reached."""
    try:
        cache.set_many(values, seconds)
    except Exception:
        logger.warning("Cache unreachable: not storing", exc_info=True)


def cache_delete(key: str) -> None:
    """`cache.delete`, skipped when the cache cannot be reached (what it held is then out of
    reach too; a cache back later may hold it until it expires)."""
    try:
        cache.delete(key)
    except Exception:
        logger.warning("Cache unreachable: not deleting", exc_info=True)


# The catalogue's version, read once per request (CatalogueVersionMiddleware sets the slot).
_request_version: ContextVar[list | None] = ContextVar("digitaix_catalogue_version", default=None)


def catalogue_version() -> tuple:
    """What changes whenever a product or an offer is saved or a shop changes status (the
    shops' `DIGITAIX_CATALOGUE_VERSION`: latest change times, 1 indexed query), read once per
    request. Every aggregate is kept under it, so a product put on sale, a shop approved or an
    offer withdrawn shows at once in totals, facets, search pages and suggestions."""
    slot = _request_version.get()
    if slot:
        return slot[0]
    version = import_string(settings.DIGITAIX_CATALOGUE_VERSION)()
    if slot is not None:
        slot.append(version)
    return version


class CatalogueVersionMiddleware:
    """Gives each request its own slot for `catalogue_version` (read at most once)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_version.set([])
        try:
            return self.get_response(request)
        finally:
            _request_version.reset(token)


def aggregate_cached(key_parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`'s value, kept DIGITAIX_AGGREGATES_CACHE_SECONDS under a key of the parts
    and of the catalogue's version."""
    seconds = settings.DIGITAIX_AGGREGATES_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = cache_key("aggregate", (catalogue_version(), *key_parts))
    value = cache_get_many([key]).get(key)
    if value is None:
        value = compute()
        cache_set_many({key: value}, seconds)
    return value


class CachedCountPaginator(Paginator):
    """A paginator whose total comes from `aggregate_cached` under `count_key`: counting a
    whole filtered catalogue (the "1 234 produits" and the page links) scanned every product
    on every page view, the slowest part of a list page at 10 times the reference town.

    The total is kept under the catalogue's version like every aggregate: exact.
    """

    def __init__(
        self, *args, count_key: tuple, page_key: tuple | None = None,
        fetch: Callable[[list[int]], list] | None = None, **kwargs,
    ):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.page_key, self.fetch = page_key, fetch

    @cached_property
    def count(self) -> int:
        return aggregate_cached(("count", *self.count_key), lambda: Paginator.count.func(self))

    def page(self, number):
        """With a `page_key`, the ids a page lists are kept too, and `fetch(ids)` loads them
        (those still listed, in that order): ranking every product a search matches is the
        costly part of a search page, the same for every visitor."""
        page = super().page(number)
        if self.page_key is None or self.fetch is None:
            return page
        ids = aggregate_cached(
            ("page-ids", *self.page_key, page.number),
            lambda: list(page.object_list.values_list("pk", flat=True)),
        )
        page.object_list = self.fetch(ids)
        return page


def rendered_cached(
    context, template_name: str, items: list, *, name: str, key_of: Callable[[Any], tuple],
    eager_first: bool = False,
) -> list:  # fmt: skip
    """Each item rendered through `template_name` (the item as `name` in the context, and
    `eager` true for the first when `eager_first`: its picture is fetched at once), kept
    DIGITAIX_CARD_CACHE_SECONDS under `key_of(item)`, `eager`, the language and the
    template's own text: one cache read for the whole list.

    For fragments that are the same for every visitor: `key_of` must hold everything the
    template shows of the item, so a change makes a new key and nothing is ever stale."""
    template = context.template.engine.get_template(template_name)
    language, digest = get_language(), _digest(template.source)
    eager = [eager_first and index == 0 for index in range(len(items))]
    keys = [
        cache_key(f"fragment:{name}", (language, digest, first, *key_of(item)))
        for item, first in zip(items, eager, strict=True)
    ]
    seconds = settings.DIGITAIX_CARD_CACHE_SECONDS
    found = cache_get_many(keys) if seconds > 0 else {}
    fragments, rendered = [], {}
    for index, (key, item) in enumerate(zip(keys, items, strict=True)):
        html = found.get(key)
        if html is None:
            with context.push({name: item, "eager": eager[index]}):
                html = template.render(context)
            if PERSONAL_MARK not in html:
                rendered[key] = html
        fragments.append(html)
    if rendered and seconds > 0:
        cache_set_many(rendered, seconds)
    return fragments


@lru_cache(maxsize=16)
def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:16]
