"""Queries about a shop's API keys: each limited to the shop it is given, or to one key."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
ShopApiKey = get_model("partner", "ShopApiKey")


def shop_api_keys(*, shop: Partner) -> QuerySet:
    """`shop`'s keys, usable ones first, newest first (never the hashes: not shown anyway)."""
    return ShopApiKey.objects.filter(shop=shop).order_by("revoked", "-created")


def shop_api_key_get(*, shop: Partner, prefix: str) -> ShopApiKey:
    """One of `shop`'s keys by its public prefix; 404 for another shop's."""
    return get_object_or_404(ShopApiKey, shop=shop, prefix=prefix)


def api_key_from_header_value(*, key: str) -> ShopApiKey | None:
    """The usable key `key` is (not revoked, not expired), with its live shop; else None."""
    try:
        found = ShopApiKey.objects.get_from_key(key)
    except ShopApiKey.DoesNotExist:
        return None
    return None if found.has_expired else found
