from celery import shared_task


@shared_task(
    ignore_result=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def search_refresh(product_ids: list[int]) -> int:
    """Recompute the search columns of these products; safe to run twice."""
    from catalog.services import search_refresh_pending

    return search_refresh_pending(product_ids=product_ids)


@shared_task(ignore_result=True)
def search_refresh_catch_up() -> int:
    """Periodic: refresh the products whose refresh Redis never received."""
    from catalog.services import search_refresh_catch_up

    return search_refresh_catch_up()
