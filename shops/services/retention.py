"""How long the integrations' records are kept: enough to answer a retry, show a shop its
recent deliveries and runs, and investigate a complaint; not for ever (a busy till posting
every minute writes half a million idempotency rows a year)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

ApiIdempotentRequest = get_model("partner", "ApiIdempotentRequest")
WebhookDelivery = get_model("partner", "WebhookDelivery")
StockFeedRun = get_model("partner", "StockFeedRun")
WooStockPush = get_model("partner", "WooStockPush")

#: A retry under the same Idempotency-Key is answered as the first call within this delay.
IDEMPOTENCY_KEPT = datetime.timedelta(days=7)
#: Webhook deliveries and WooCommerce pushes that ended, feed runs: kept this long.
HISTORY_KEPT = datetime.timedelta(days=30)


def integrations_records_prune(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what is past its keeping delay (never a pending delivery or push, nor an
    idempotent request still being answered); returns how many rows of each kind went."""
    now = now or timezone.now()
    history = now - HISTORY_KEPT
    deleted = {
        "idempotent_requests": ApiIdempotentRequest.objects.filter(
            created_at__lt=now - IDEMPOTENCY_KEPT, status__isnull=False
        ),
        "webhook_deliveries": WebhookDelivery.objects.filter(created_at__lt=history).filter(
            Q(status=WebhookDelivery.Status.DELIVERED) | Q(status=WebhookDelivery.Status.FAILED)
        ),
        "stock_feed_runs": StockFeedRun.objects.filter(started_at__lt=history),
        "woo_stock_pushes": WooStockPush.objects.filter(created_at__lt=history).exclude(
            status=WooStockPush.Status.PENDING
        ),
    }
    return {name: rows.delete()[0] for name, rows in deleted.items()}
