from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def notify_shop_moderated(event_id: int) -> bool:
    """Tell a shop's merchants about the town's decision; safe to run twice."""
    from shops.services import shop_moderation_notify

    return shop_moderation_notify(event_id=event_id)
