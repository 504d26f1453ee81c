from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def take_portal_snapshot(day: str | None = None) -> int:
    """Keep today's portal figures (or `day`'s, ISO date) for the console; safe to run twice."""
    import datetime

    from shops.services import portal_snapshot_take

    when = datetime.date.fromisoformat(day) if day else None
    return portal_snapshot_take(day=when).pk


@shared_task(ignore_result=True)
def webhook_deliver(delivery_id: int) -> str:
    """Send one webhook delivery now (it waits if an earlier one of its order is pending)."""
    from shops.services.webhooks import webhook_delivery_attempt

    return webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhooks_due() -> int:
    """Periodic: the webhook deliveries due (retries, and what the broker never received)."""
    from shops.services.webhooks import webhook_deliveries_due

    return webhook_deliveries_due()


@shared_task(ignore_result=True, soft_time_limit=120)
def stock_feed_pull_task(feed_id: int) -> str:
    """Pull one shop's stock feed (its own task: a broken feed never delays another's)."""
    from shops.services.feeds import StockFeed, stock_feed_pull

    feed = StockFeed.objects.select_related("shop").filter(pk=feed_id).first()
    return stock_feed_pull(feed=feed).status if feed else ""


@shared_task(ignore_result=True)
def stock_feeds_dispatch() -> int:
    """Periodic: hand each due stock feed to a task of its own."""
    from messaging.handover import handover
    from shops.services.feeds import stock_feeds_due

    due = stock_feeds_due()
    for feed_id in due:
        handover(stock_feed_pull_task, kwargs={"feed_id": feed_id})
    return len(due)


@shared_task(ignore_result=True)
def woo_stock_push_send(push_id: int) -> str:
    """Tell a shop's WooCommerce site one stock change of a Digitaix order (retried later)."""
    from shops.services.woocommerce import woo_stock_push_attempt

    return woo_stock_push_attempt(push_id=push_id)


@shared_task(ignore_result=True)
def woo_stock_pushes_due() -> int:
    """Periodic: the WooCommerce stock changes due (retries, what the broker never received)."""
    from shops.services.woocommerce import woo_stock_pushes_due as due

    return due()


@shared_task(ignore_result=True)
def integrations_records_prune() -> dict:
    """Daily: idempotency rows, ended webhook deliveries and pushes, old feed runs go."""
    from shops.services.retention import integrations_records_prune as prune

    return prune()
