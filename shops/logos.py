"""Small copies of the shops' logos: the lists show a copy sized for its slot, not the upload.

A logo is kept as uploaded (at most 512 px, re-encoded by catalog.images). The directory's
cards show it 72 px wide and the storefront 96 px, so WebP copies 96 and 192 px wide (plain
and dense screens) are made, at the names catalog.renditions gives a product photo's
("shops/logos/lac.png" -> "renditions/192/shops/logos/lac.png.webp"). `logo_renditions_of`
on the shop says which logo they were made from: no query and no file access to show them.

A logo takes a few milliseconds to render, so its copies are made as soon as the change is
committed, in the same request, rather than handed to Celery. While they are missing (the
file unreadable, or a shop saved before copies existed: `manage.py render_images`), the
lists show the logo itself.
"""

import logging
from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.core.loading import get_model
from PIL import Image

from catalog.pagecache import content_changed
from catalog.renditions import rendition_name, renditions_render
from catalog.services import image_renditions_delete, image_renditions_store

logger = logging.getLogger(__name__)
Partner = get_model("partner", "Partner")

#: The widths made: 96 px for the storefront (and the cards' 72 px) on a plain screen, 192
#: px for a dense one.
LOGO_SLOTS = (96, 192)
_UNREADABLE = (OSError, SyntaxError, ValueError, Image.DecompressionBombError)


def shop_logo_renditions_make(*, shop: Partner) -> bool:
    """Make and store the copies of the shop's current logo, and record them. False when
    the logo cannot be read (the lists keep showing it) or was replaced meanwhile."""
    original = shop.logo.name
    if not original:
        return False
    try:
        with default_storage.open(original) as source:
            made = renditions_render(source, slots=LOGO_SLOTS)
    except _UNREADABLE as error:
        logger.warning("No small logo for shop %s (%s): %s", shop.pk, original, error)
        return False
    sizes = image_renditions_store(original=original, renditions=made)
    with transaction.atomic():
        recorded = Partner.objects.filter(pk=shop.pk, logo=original).update(
            logo_renditions_of=original, logo_renditions=sizes
        )
        content_changed()  # the pages kept for every visitor show the copies from now on
    if not recorded:
        image_renditions_delete(original=original, slots=LOGO_SLOTS)
        return False
    if shop.logo_renditions_of and shop.logo_renditions_of != original:
        image_renditions_delete(original=shop.logo_renditions_of, slots=LOGO_SLOTS)
    shop.logo_renditions_of, shop.logo_renditions = original, sizes
    return True


def shops_logo_unrendered() -> QuerySet:
    """The shops whose logo has no copies yet."""
    return Partner.objects.exclude(logo="").exclude(logo_renditions_of=F("logo")).order_by("pk")


def logo_attrs(shop: Partner, size: int) -> dict[str, str]:
    """What an <img> of the logo shown `size` CSS px wide needs: `src`, and `srcset` and
    `sizes` once its copies exist (the browser picks the one for its screen)."""
    original = shop.logo.name
    made = shop.logo_renditions if original and shop.logo_renditions_of == original else []
    if not made:
        return {"src": shop.logo.url if original else ""}
    urls = {slot: default_storage.url(rendition_name(original, slot)) for slot, _, _ in made}
    fits = [slot for slot, width, _ in made if width >= size]
    return {
        "src": urls[min(fits) if fits else max(urls)],
        "srcset": ", ".join(f"{urls[slot]} {width}w" for slot, width, _ in made),
        "sizes": f"{size}px",
    }


@receiver(post_save, sender=Partner, dispatch_uid="shops_logo_renditions")
def shop_saved(sender, instance, raw=False, **kwargs):
    """A new logo gets its copies once the change is committed."""
    if raw or not instance.logo or instance.logo.name == instance.logo_renditions_of:
        return
    transaction.on_commit(partial(_make, instance.pk), robust=True)


def _make(shop_id: int) -> None:
    shop = Partner.objects.filter(pk=shop_id).first()
    if shop is not None and shop.logo and shop.logo.name != shop.logo_renditions_of:
        shop_logo_renditions_make(shop=shop)
