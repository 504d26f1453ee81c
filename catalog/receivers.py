"""Keep the stored search columns fresh when a product or its categories change.

Oscar's own catalogue receivers are connected too (the fork's AppConfig calls super()).
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")


def _refresh_later(product_id: int) -> None:
    from catalog.tasks import search_refresh

    transaction.on_commit(lambda: search_refresh.delay(product_ids=[product_id]))


@receiver(post_save, sender=Product, dispatch_uid="catalog_product_search")
def product_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= {"search_text", "search_vector"}):
        return
    _refresh_later(instance.pk)


@receiver(post_save, sender=ProductCategory, dispatch_uid="catalog_productcategory_search")
def product_category_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_later(instance.product_id)
