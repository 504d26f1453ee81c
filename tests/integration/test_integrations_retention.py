"""The integrations' records are kept as long as they serve, then pruned daily: idempotency
rows 7 days, ended webhook deliveries and WooCommerce pushes and feed runs 30 days; never a
delivery or push still pending, nor a request still being answered."""

import datetime

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from shops.services.retention import integrations_records_prune
from shops.services.webhooks import webhook_endpoint_create
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db
ApiIdempotentRequest = get_model("partner", "ApiIdempotentRequest")
WebhookDelivery = get_model("partner", "WebhookDelivery")
StockFeed = get_model("partner", "StockFeed")
StockFeedRun = get_model("partner", "StockFeedRun")
WooStockPush = get_model("partner", "WooStockPush")


def test_old_records_go_and_pending_or_recent_ones_stay():
    now = timezone.now()
    days = lambda n: now - datetime.timedelta(days=n)  # noqa: E731
    shop = ShopFactory()
    for status, age in ((200, 8), (None, 8), (200, 6)):
        row = ApiIdempotentRequest.objects.create(
            shop=shop, key=f"k-{status}-{age}", request_hash="h", status=status
        )
        ApiIdempotentRequest.objects.filter(pk=row.pk).update(created_at=days(age))
    endpoint = webhook_endpoint_create(
        shop=shop, url="https://outil.example/hook", events=["shop_order.created"], by=None
    )
    for status, age in (("delivered", 31), ("failed", 31), ("pending", 31), ("delivered", 29)):
        WebhookDelivery.objects.create(
            endpoint=endpoint, event="shop_order.created", ordering_key="o", payload={},
            status=status, created_at=days(age), next_attempt_at=days(age),
            give_up_at=days(age - 3),
        )  # fmt: skip
    feed = StockFeed.objects.create(shop=shop, url="https://caisse.example/stock.csv")
    for age in (31, 29):
        StockFeedRun.objects.create(feed=feed, status="applied", started_at=days(age))
    offer = StockRecordFactory(partner=shop, product=ProductFactory())
    for status, age in (("sent", 31), ("pending", 31), ("sent", 29)):
        WooStockPush.objects.create(
            feed=feed, offer=offer, delta=-1, reason="r", key=f"{status}-{age}", status=status,
            created_at=days(age), give_up_at=days(age - 3),
        )  # fmt: skip

    assert integrations_records_prune(now=now) == {
        "idempotent_requests": 1, "webhook_deliveries": 2, "stock_feed_runs": 1,
        "woo_stock_pushes": 1,
    }  # fmt: skip
    assert integrations_records_prune(now=now) == dict.fromkeys(
        ("idempotent_requests", "webhook_deliveries", "stock_feed_runs", "woo_stock_pushes"), 0
    )
    assert sorted(WebhookDelivery.objects.values_list("status", flat=True)) == [
        "delivered", "pending"
    ]  # fmt: skip
    assert set(WooStockPush.objects.values_list("key", flat=True)) == {"pending-31", "sent-29"}
