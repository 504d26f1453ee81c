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


@shared_task(
    ignore_result=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def image_renditions(image_id: int) -> bool:
    """Make the renditions of a product image (gone meanwhile: nothing); safe to run twice."""
    from oscar.core.loading import get_model

    from catalog.services import image_renditions_make

    image = get_model("catalogue", "ProductImage").objects.filter(pk=image_id).first()
    return image_renditions_make(image=image) if image else False


@shared_task(ignore_result=True)
def image_renditions_catch_up() -> int:
    """Periodic: render the images whose task Redis never received (a batch per run)."""
    from catalog.services import image_renditions_catch_up

    rendered, _ = image_renditions_catch_up()
    return rendered
