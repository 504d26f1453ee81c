"""Write operations on the shared catalogue."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from oscar.core.loading import get_model

from catalog.text import normalize

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

_BATCH = 2000

# Title weighs most, then category names, then the start of the description. `unaccent`
# is applied on both sides (here and in the query) so accents never matter.
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


@transaction.atomic
def _refresh_batch(ids: list[int]) -> None:
    names: dict[int, list[str]] = defaultdict(list)
    links = ProductCategory.objects.filter(product_id__in=ids).values_list(
        "product_id", "category__name"
    )
    for product_id, name in links:
        names[product_id].append(name)
    products = list(Product.objects.filter(pk__in=ids).only("pk", "title"))
    for product in products:
        product.search_text = normalize(" ".join([product.title, *names[product.pk]]))
    Product.objects.bulk_update(products, ["search_text"], batch_size=500)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_VECTOR_SQL, [ids])
