from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def take_portal_snapshot(day: str | None = None) -> int:
    """Keep today's portal figures (or `day`'s, ISO date) for the console; safe to run twice."""
    import datetime

    from shops.services import portal_snapshot_take

    when = datetime.date.fromisoformat(day) if day else None
    return portal_snapshot_take(day=when).pk
