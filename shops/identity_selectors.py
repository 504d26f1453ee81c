"""Queries about shops' identity changes (shops.services.identity), beside shops/selectors.py."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
ShopIdentityChange = get_model("partner", "ShopIdentityChange")


def shop_identity_change_pending(*, shop: Partner) -> ShopIdentityChange | None:
    """`shop`'s change waiting for the town, or None."""
    return ShopIdentityChange.objects.filter(
        shop=shop, status=ShopIdentityChange.Status.PENDING
    ).first()


def shop_identity_change_last_refused(*, shop: Partner) -> ShopIdentityChange | None:
    """`shop`'s latest change the town refused, to show its reason, or None."""
    return ShopIdentityChange.objects.filter(
        shop=shop, status=ShopIdentityChange.Status.REFUSED
    ).first()


def moderation_identity_changes() -> QuerySet:
    """Every shop's pending change, oldest first: the town's queue."""
    return (
        ShopIdentityChange.objects.filter(status=ShopIdentityChange.Status.PENDING)
        .select_related("shop", "requested_by")
        .order_by("created_at", "pk")
    )


def moderation_identity_change_get(*, pk: int) -> ShopIdentityChange:
    """Any shop's change by id, with its shop and who asked and decided (staff only)."""
    return get_object_or_404(
        ShopIdentityChange.objects.select_related("shop", "requested_by", "decided_by"), pk=pk
    )


def moderation_shop_identity_changes(*, shop: Partner) -> QuerySet:
    """One shop's changes, latest first, for its file."""
    return ShopIdentityChange.objects.filter(shop=shop).select_related("requested_by", "decided_by")
