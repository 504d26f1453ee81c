"""Queries about a shop's webhooks and stock feed: each limited to the shop it is given."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
WebhookEndpoint = get_model("partner", "WebhookEndpoint")
WebhookDelivery = get_model("partner", "WebhookDelivery")


def shop_webhook_endpoints(*, shop: Partner) -> QuerySet:
    """`shop`'s endpoints, oldest first."""
    return WebhookEndpoint.objects.filter(shop=shop).order_by("created_at", "pk")


def shop_webhook_deliveries_recent(*, shop: Partner, limit: int = 30) -> list:
    """`shop`'s last deliveries (every endpoint), newest first, with their endpoint."""
    return list(
        WebhookDelivery.objects.filter(endpoint__shop=shop)
        .select_related("endpoint")
        .order_by("-created_at", "-pk")[:limit]
    )


def shop_webhook_delivery_get(*, shop: Partner, pk: int) -> WebhookDelivery:
    """One of `shop`'s deliveries; 404 for another shop's."""
    return get_object_or_404(WebhookDelivery, endpoint__shop=shop, pk=pk)


def shop_webhook_endpoint_get(*, shop: Partner, pk: int) -> WebhookEndpoint:
    """One of `shop`'s endpoints; 404 for another shop's."""
    return get_object_or_404(WebhookEndpoint, shop=shop, pk=pk)


StockFeed = get_model("partner", "StockFeed")
StockFeedRun = get_model("partner", "StockFeedRun")


def shop_stock_feed(*, shop: Partner) -> StockFeed | None:
    """`shop`'s stock feed, or None."""
    return StockFeed.objects.filter(shop=shop).first()


def shop_stock_feed_runs(*, shop: Partner, limit: int = 10) -> list:
    """`shop`'s last feed runs, newest first."""
    return list(StockFeedRun.objects.filter(feed__shop=shop).order_by("-started_at", "-pk")[:limit])
