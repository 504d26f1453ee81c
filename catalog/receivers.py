"""Keep the stored search columns fresh when a product or its categories change.

Oscar's own catalogue receivers are connected too (the fork's AppConfig calls super()).
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")


def _refresh_later(product_id: int) -> None:
    from catalog.services import search_refresh_mark

    search_refresh_mark(product_ids=[product_id])


@receiver(post_save, sender=Product, dispatch_uid="catalog_product_search")
def product_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= {"search_text", "search_vector"}):
        return
    _refresh_later(instance.pk)


@receiver(post_save, sender=ProductCategory, dispatch_uid="catalog_productcategory_search")
def product_category_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_later(instance.product_id)


@receiver(m2m_changed, sender=Product.categories.through, dispatch_uid="catalog_categories_search")
def product_categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _refresh_later(instance.pk)
    elif pk_set:
        for product_id in pk_set:
            _refresh_later(product_id)
