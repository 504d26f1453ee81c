from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def search_refresh(product_ids: list[int]) -> int:
    """Recompute the search columns of these products; safe to run twice."""
    from catalog.services import product_search_refresh

    return product_search_refresh(product_ids=product_ids)
