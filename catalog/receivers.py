"""Keep the stored search columns fresh when a product or its categories change, and a
product photo's renditions made (and deleted with it), whichever screen or import saved it.

Oscar's own catalogue receivers are connected too (the fork's AppConfig calls super()).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")


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


@receiver(post_save, sender=ProductImage, dispatch_uid="catalog_productimage_renditions")
def product_image_saved(sender, instance, raw=False, **kwargs):
    """A new photo (or a new original for the image) is rendered after commit; a caption or
    an order changed is not."""
    if raw or not instance.original or instance.renditions_of == instance.original.name:
        return
    from catalog.services import image_renditions_later

    image_renditions_later(image_id=instance.pk)


@receiver(post_delete, sender=ProductImage, dispatch_uid="catalog_productimage_renditions_delete")
def product_image_deleted(sender, instance, **kwargs):
    """Its renditions go once the deletion is committed (Oscar deletes the original). Both
    names: the instance at hand may predate the recording of its renditions."""
    from catalog.services import image_renditions_delete

    for original in {instance.original.name or "", instance.renditions_of} - {""}:
        transaction.on_commit(partial(image_renditions_delete, original=original))
