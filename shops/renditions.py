"""Small copies of the shops' pictures: a page shows a copy sized for its slot, not the upload.

A logo (at most 512 px) and a banner (at most 1920 x 640 px) are kept as uploaded,
re-encoded by catalog.images. The directory's cards show the logo 72 px wide and the
storefront 96 px, so a logo gets WebP copies 96 and 192 px wide (plain and dense screens);
the storefront shows the banner across the page, so it gets copies 800 and 1600 px wide.
They are stored at the names catalog.renditions gives a product photo's
("shops/logos/lac.png" -> "renditions/192/shops/logos/lac.png.webp"), and the shop's
`<picture>_renditions_of` says which upload they were made from, `<picture>_renditions`
their sizes: no query and no file access to show them.

A shop's picture takes a few milliseconds to render, so its copies are made as soon as the
change is committed, in the same request, rather than handed to Celery. While they are
missing (the file unreadable, or a shop saved before copies existed: `manage.py
render_images`), the pages show the upload itself.
"""

from functools import partial

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from catalog.pagecache import content_changed
from catalog.renditions import rendition_name
from catalog.services import image_renditions_delete, renditions_of_original

Partner = get_model("partner", "Partner")

#: The widths made for each picture of a shop (its field's name).
SLOTS = {"logo": (96, 192), "banner": (800, 1600)}
LOGO_SLOTS, BANNER_SLOTS = SLOTS["logo"], SLOTS["banner"]


def shop_renditions_make(*, shop: Partner, picture: str = "logo") -> bool:
    """Make and store the copies of the shop's current logo or banner (`picture`), and record
    them. False when it cannot be read (recorded without copies: the pages keep showing it,
    and only `render_images --all` tries it again, as a product photo) or was replaced
    meanwhile. A storage out of reach raises: nothing is recorded."""
    original, slots = getattr(shop, picture).name, SLOTS[picture]
    made_from = f"{picture}_renditions_of"
    if not original:
        return False
    sizes = renditions_of_original(original=original, slots=slots)
    with transaction.atomic():
        recorded = Partner.objects.filter(pk=shop.pk, **{picture: original}).update(
            **{made_from: original, f"{picture}_renditions": sizes}
        )
        content_changed()  # the pages kept for every visitor show the copies from now on
    if not recorded:
        image_renditions_delete(original=original, slots=slots)
        return False
    replaced = getattr(shop, made_from)
    if replaced and replaced != original:
        image_renditions_delete(original=replaced, slots=slots)
    setattr(shop, made_from, original)
    setattr(shop, f"{picture}_renditions", sizes)
    return bool(sizes)


def shops_unrendered(picture: str = "logo") -> QuerySet:
    """The shops whose logo (or banner) has no copies yet."""
    return (
        Partner.objects.exclude(**{picture: ""})
        .exclude(**{f"{picture}_renditions_of": F(picture)})
        .order_by("pk")
    )


def shops_with_pictures_unrendered() -> QuerySet:
    """The shops whose logo or banner has no copies yet."""
    missing = Q()
    for picture in SLOTS:
        missing |= ~Q(**{picture: ""}) & ~Q(**{f"{picture}_renditions_of": F(picture)})
    return Partner.objects.filter(missing).order_by("pk")


def picture_attrs(shop: Partner, picture: str, width: int) -> dict[str, str]:
    """What an <img> of the shop's logo or banner shown about `width` px wide needs: `src`
    (the smallest copy that wide), and `srcset` once its copies exist (the browser picks the
    one for its screen and the `sizes` the template gives)."""
    original = getattr(shop, picture).name
    made_from = getattr(shop, f"{picture}_renditions_of")
    made = getattr(shop, f"{picture}_renditions") if original and made_from == original else []
    if not made:
        return {"src": getattr(shop, picture).url if original else ""}
    urls = {slot: default_storage.url(rendition_name(original, slot)) for slot, _, _ in made}
    fits = [slot for slot, made_width, _ in made if made_width >= width]
    return {
        "src": urls[min(fits) if fits else max(urls)],
        "srcset": ", ".join(f"{urls[slot]} {made_width}w" for slot, made_width, _ in made),
    }


@receiver(post_save, sender=Partner, dispatch_uid="shops_picture_renditions")
def shop_saved(sender, instance, raw=False, **kwargs):
    """A new logo or banner gets its copies once the change is committed."""
    if raw:
        return
    for picture in SLOTS:
        if _unrendered(instance, picture):
            transaction.on_commit(partial(_make, instance.pk, picture), robust=True)


def _unrendered(shop: Partner, picture: str) -> bool:
    uploaded = getattr(shop, picture)
    return bool(uploaded) and uploaded.name != getattr(shop, f"{picture}_renditions_of")


def _make(shop_id: int, picture: str) -> None:
    shop = Partner.objects.filter(pk=shop_id).first()
    if shop is not None and _unrendered(shop, picture):
        shop_renditions_make(shop=shop, picture=picture)
