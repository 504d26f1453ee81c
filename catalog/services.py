"""Write operations on the shared catalogue."""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from catalog.renditions import SLOTS, Rendition, rendition_name, renditions_render
from catalog.search.words import synonyms_changed
from catalog.tasks import image_renditions, search_refresh
from catalog.text import normalize, rich_text_plain
from messaging.handover import handover

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
SearchRefresh = get_model("catalogue", "SearchRefresh")
ProductImage = get_model("catalogue", "ProductImage")

_BATCH = 2000

_TEXT_SQL = """
UPDATE catalogue_product AS p SET search_text = v.text
FROM unnest(%s::text[], %s::integer[]) AS v(text, id)
WHERE p.id = v.id
"""

# Title weighs most, then the search text (title, category names, EAN and the start of the
# description), then the description again. The search text is normalised (no accents); the
# query's words are normalised the same way before PostgreSQL stems them.
_VECTOR_SQL = """
UPDATE catalogue_product AS p SET search_vector =
    setweight(to_tsvector('french', unaccent(coalesce(p.title, ''))), 'A')
    || setweight(to_tsvector('french', unaccent(p.search_text)), 'B')
    || setweight(to_tsvector('french', unaccent(left(coalesce(p.description, ''), 4000))), 'C')
WHERE p.id = ANY(%s)
"""


def product_search_refresh(*, product_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored search columns of the given products (all when None).

    Runs in batches with a constant number of queries per batch, so seeding thousands of
    products costs a handful of statements. Returns how many products were refreshed.
    """
    ids_qs = Product.objects.order_by("pk").values_list("pk", flat=True)
    ids = list(ids_qs if product_ids is None else ids_qs.filter(pk__in=list(product_ids)))
    for start in range(0, len(ids), _BATCH):
        _refresh_batch(ids[start : start + _BATCH])
    return len(ids)


# How much of a description is searched, on both databases (a card's worth, not a novel).
DESCRIPTION_SEARCHED = 1000


def search_text_of(product: Product, category_names: list[str]) -> str:
    """What both databases search for a product: its title, category names, EAN and the start
    of its description, normalised ("Comté 18 mois" -> "comte 18 mois ...")."""
    description = rich_text_plain(product.description or "")[:DESCRIPTION_SEARCHED]
    return normalize(" ".join([product.title, *category_names, product.upc or "", description]))


@transaction.atomic
def _refresh_batch(ids: list[int]) -> None:
    names: dict[int, list[str]] = defaultdict(list)
    links = ProductCategory.objects.filter(product_id__in=ids).values_list(
        "product_id", "category__name"
    )
    for product_id, name in links:
        names[product_id].append(name)
    products = Product.objects.filter(pk__in=ids).only("pk", "title", "upc", "description")
    texts = [(search_text_of(p, names[p.pk]), p.pk) for p in products]
    # One statement rather than bulk_update's CASE per row, which Django takes longer to build
    # than the database to run (half of seeding a large town's search columns).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_TEXT_SQL, [[t for t, _ in texts], [pk for _, pk in texts]])
            cursor.execute(_VECTOR_SQL, [ids])
        else:
            cursor.executemany("UPDATE catalogue_product SET search_text = %s WHERE id = %s", texts)


# --- Refreshing later, never lost -----------------------------------------------------------

# A pending refresh older than this is the catch-up's: its task was lost (Redis down).
CATCH_UP_AFTER = datetime.timedelta(minutes=2)


def search_refresh_mark(*, product_ids: Iterable[int]) -> None:
    """Mark these products for a search refresh, in the caller's transaction; after commit,
    hand the refresh to Celery. The hand-over can neither fail nor block the request: with
    Redis down the marks stay, and `search_refresh_catch_up` refreshes them later."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    now = timezone.now()
    SearchRefresh.objects.bulk_create(
        [SearchRefresh(product_id=pk, marked_at=now) for pk in ids],
        update_conflicts=True,
        unique_fields=["product"],
        update_fields=["marked_at"],
        batch_size=1000,
    )
    transaction.on_commit(partial(_hand_over, ids))


def _hand_over(product_ids: list[int]) -> None:
    handover(search_refresh, kwargs={"product_ids": product_ids})


def search_refresh_pending(*, product_ids: Iterable[int]) -> int:
    """Refresh these products and clear their marks (those not marked again meanwhile)."""
    ids = list(product_ids)
    started = timezone.now()
    refreshed = product_search_refresh(product_ids=ids)
    for start in range(0, len(ids), _BATCH):
        SearchRefresh.objects.filter(
            product_id__in=ids[start : start + _BATCH], marked_at__lte=started
        ).delete()
    return refreshed


def search_refresh_catch_up(*, limit: int = 10_000) -> int:
    """Refresh the products whose refresh was never handed over (Redis was down)."""
    stale = SearchRefresh.objects.filter(marked_at__lt=timezone.now() - CATCH_UP_AFTER)
    ids = list(stale.order_by("marked_at").values_list("product_id", flat=True)[:limit])
    return search_refresh_pending(product_ids=ids) if ids else 0


# --- What a merchant's new product is made of ----------------------------------------------


def product_class_default() -> int:
    """The id of the product type every merchant's product gets (the first one, created
    "Produit" when none exists): merchants never choose a type."""
    from django.utils.translation import gettext as _

    first = ProductClass.objects.order_by("pk").values_list("pk", flat=True).first()
    if first is not None:
        return first
    return ProductClass.objects.create(name=_("Produit")).pk


# --- The town's search synonyms -------------------------------------------------------------

SYNONYM_GROUPS_MAX = 300


@transaction.atomic
def search_synonyms_replace(*, groups: list[str]) -> int:
    """Replace the town's synonym groups (each "word, word, word"); effective at once."""
    SearchSynonym = get_model("catalogue", "SearchSynonym")
    SearchSynonym.objects.all().delete()
    SearchSynonym.objects.bulk_create(SearchSynonym(words=words) for words in groups)
    transaction.on_commit(synonyms_changed)
    return len(groups)


# --- Renditions of product photos (catalog/renditions.py) -----------------------------------

# What Pillow raises on a missing, truncated or broken original (a truncated file is a plain
# OSError); a storage that could not be reached is not among them: the task retries that.
_UNREADABLE = (OSError, SyntaxError, ValueError, Image.DecompressionBombError)
_UNREACHABLE = (ConnectionError, TimeoutError)


def image_renditions_make(*, image: ProductImage) -> bool:
    """Make and store the renditions of the image's current original, and record them.

    Safe to run twice (files at fixed names, overwritten). False when the original cannot be
    read: the lists keep showing it, and it is not tried again until `render_images --all`.
    Recorded only if the row still holds that original: a photo replaced or deleted
    meanwhile has its own task, and what was made here for the old one is removed.
    """
    original = image.original.name
    sizes = renditions_of_original(original=original)
    recorded = ProductImage.objects.filter(pk=image.pk, original=original).update(
        renditions_of=original, renditions=sizes
    )
    if not recorded:
        image_renditions_delete(original=original)
        return False
    if image.renditions_of and image.renditions_of != original:
        image_renditions_delete(original=image.renditions_of)  # the replaced photo's
    image.renditions_of, image.renditions = original, sizes
    return bool(sizes)


def renditions_of_original(*, original: str, slots: tuple[int, ...] = SLOTS) -> list[list[int]]:
    """Render the stored picture `original` at `slots` (a product photo's by default; a
    shop's logo or banner has its own, shops.renditions) and store its renditions. Returns
    their sizes, `[slot, width, height]` each: none when it cannot be read (logged). A
    storage out of reach raises, so that a task retries it."""
    try:
        with default_storage.open(original) as source:
            made = renditions_render(source, slots=slots)
    except _UNREADABLE as error:
        if isinstance(error, _UNREACHABLE):
            raise
        logger.warning("No rendition for image %s: %s", original, error)
        made = []
    return image_renditions_store(original=original, renditions=made)


def image_renditions_store(*, original: str, renditions: list[Rendition]) -> list[list[int]]:
    """Store an original's renditions at their fixed names (replacing older files); what a
    ProductImage records of them: `[slot, width, height]` each."""
    for rendition in renditions:
        name = rendition_name(original, rendition.slot)
        default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(rendition.content))
        if saved != name:  # another worker wrote the same rendition meanwhile: keep theirs
            default_storage.delete(saved)
    return [[r.slot, r.width, r.height] for r in renditions]


def image_renditions_delete(*, original: str, slots: tuple[int, ...] = SLOTS) -> None:
    """Delete the rendition files of an original (those that exist)."""
    for slot in slots:
        default_storage.delete(rendition_name(original, slot))


def image_renditions_later(*, image_id: int) -> None:
    """After commit, hand the image's renditions to Celery. With Redis down nothing fails:
    the lists show the original until `image_renditions_catch_up` renders it."""
    transaction.on_commit(partial(handover, image_renditions, kwargs={"image_id": image_id}))


def images_unrendered() -> QuerySet:
    """The product images whose renditions were never made for their current original."""
    return ProductImage.objects.exclude(renditions_of=F("original")).order_by("pk")


def image_renditions_catch_up(
    *,
    images: QuerySet | None = None,
    limit: int | None = 200,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Render `images` (by default those never rendered, `limit` at most), one at a time;
    `progress(done, total)` after each. Returns (rendered, unreadable originals)."""
    queryset = images_unrendered() if images is None else images
    ids = list(queryset.values_list("pk", flat=True)[:limit])
    rendered = done = 0
    for start in range(0, len(ids), _BATCH):
        for image in ProductImage.objects.filter(pk__in=ids[start : start + _BATCH]):
            rendered += image_renditions_make(image=image)
            done += 1
            if progress:
                progress(done, len(ids))
    return rendered, done - rendered
