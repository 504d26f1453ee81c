"""Read queries of the merchant's product screens, each limited to one shop: the products
list (the stock editor), its filters, and the shared catalogue's products a shop may offer too.

Every function takes the shop and returns only what concerns it, with a constant number of
queries whatever the number of rows.
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from oscar.core.loading import get_model

from catalog.selectors import products_on_sale, products_search
from catalog.text import normalize
from shops.selectors import merchant_offers

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductModerationEvent = get_model("partner", "ProductModerationEvent")

# The list's filters: value in the URL -> what it keeps.
FILTERS = {
    "tous": Q(),
    "rupture": Q(num_in_stock__lte=0) | Q(num_in_stock__isnull=True),
    "hors-vente": Q(is_on_sale=False),
    "retires": Q(product__is_public=False),
}
MATCHES_LIMIT = 10


def _images(lookup: str = "product__images") -> Prefetch:
    """A product's photos, the first one first."""
    return Prefetch(lookup, queryset=ProductImage.objects.order_by("display_order", "pk"))


def _withdrawal_reason() -> Subquery:
    """The town's reason for the latest withdrawal of the offer's product."""
    events = ProductModerationEvent.objects.filter(
        product=OuterRef("product_id"), action=ProductModerationEvent.Action.WITHDRAW
    ).order_by("-created_at", "-pk")
    return Subquery(events.values("reason")[:1])


def merchant_products(*, shop: Partner, query: str = "", state: str = "tous") -> QuerySet:
    """The shop's offers for its products list, by title: searched by title, SKU or EAN,
    filtered by `state` (FILTERS), with their photos and, for a product the town withdrew,
    the reason. 2 queries per page (offers, photos)."""
    qs = merchant_offers(shop=shop).defer(
        "product__description", "product__search_text", "product__search_vector"
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(product__title__icontains=query)
            | Q(partner_sku__icontains=query)
            | Q(product__upc=query)
        )
    qs = qs.filter(FILTERS.get(state, Q()))
    qs = qs.annotate(withdrawal_reason=_withdrawal_reason()).prefetch_related(_images())
    return qs.order_by(Lower("product__title"), "pk")


def merchant_products_counts(*, shop: Partner) -> dict[str, int]:
    """How many of the shop's offers each filter keeps: 1 query."""
    from django.db.models import Count

    offers = StockRecord.objects.filter(partner=shop)
    return offers.aggregate(
        **{key: Count("pk", filter=condition) for key, condition in FILTERS.items()}
    )


def merchant_product_offer_get(*, shop: Partner, pk: int) -> StockRecord:
    """One of the shop's offers with its product, photos, categories and, when the town
    withdrew the product, its reason; 404 for any other shop's offer."""
    from django.shortcuts import get_object_or_404

    qs = (
        merchant_offers(shop=shop)
        .annotate(withdrawal_reason=_withdrawal_reason())
        .prefetch_related(_images(), "product__categories")
    )
    return get_object_or_404(qs, pk=pk)


def product_shared_with_others(*, shop: Partner, product: Product) -> bool:
    """Whether another shop offers this product too: its record is then common to them."""
    return StockRecord.objects.filter(product=product).exclude(partner=shop).exists()


def merchant_catalogue_matches(*, shop: Partner, query: str, ean: str = "") -> list:
    """Products of the shared catalogue the shop might sell too: the product with this EAN
    first, then a title search (the catalogue's own), never one the shop already offers nor
    one the public cannot see (a pending shop's, one the town withdrew). At most
    MATCHES_LIMIT, with their photos and categories: 6 queries at most."""
    offered = StockRecord.objects.filter(partner=shop, product=OuterRef("pk"))
    found: list = []
    if ean:
        found = list(products_on_sale().filter(upc=ean).exclude(Exists(offered))[:1])
    text_matches = products_search(query=query).exclude(Exists(offered))
    if found:
        text_matches = text_matches.exclude(pk=found[0].pk)
    if normalize(query) and not found:
        found += list(text_matches.values_list("pk", flat=True)[: MATCHES_LIMIT - len(found)])
    ids = [getattr(p, "pk", p) for p in found]
    products = (
        Product.objects.filter(pk__in=ids)
        .defer("description", "search_text", "search_vector")
        .prefetch_related(
            _images("images"),
            "categories",
        )
    )
    by_id = {p.pk: p for p in products}
    return [by_id[pk] for pk in ids if pk in by_id]


def catalogue_product_offerable(*, shop: Partner, pk: int) -> Product:
    """A product of the shared catalogue the shop may offer too (public, sold by a live
    shop, not offered by this shop yet), or None."""
    offered = StockRecord.objects.filter(partner=shop, product=OuterRef("pk"))
    return products_on_sale().filter(pk=pk).exclude(Exists(offered)).first()


def product_with_ean(*, ean: str) -> Product | None:
    """The shared catalogue's public product with this EAN (a shop may sell it too), or None."""
    return Product.objects.filter(upc=ean, is_public=True, parent=None).first()


def shop_offers_product(*, shop: Partner, product_id: int) -> StockRecord | None:
    """The shop's own offer on this product, or None."""
    return StockRecord.objects.filter(partner=shop, product_id=product_id).first()


def api_offers(
    *, shop: Partner, updated_since: datetime.datetime | None = None, sku: str = "", ean: str = ""
) -> QuerySet:
    """The shop's offers as the API lists them (every one, withdrawn included), narrowed by
    the filters given; ordered for cursor pagination (`-date_updated`, `-pk`). One query."""
    offers = merchant_offers(shop=shop)
    if updated_since is not None:
        offers = offers.filter(date_updated__gt=updated_since)
    if sku:
        offers = offers.filter(partner_sku=sku)
    if ean:
        offers = offers.filter(product__upc=ean)
    return offers.only(*API_OFFER_COLUMNS).order_by("-date_updated", "-pk")


#: What the API shows of an offer and its product (not the product's long description).
API_OFFER_COLUMNS = (
    "partner_sku", "price", "price_currency", "num_in_stock", "num_allocated", "is_on_sale",
    "date_updated", "stock_source", "stock_synced_at", "partner_id", "product__upc",
    "product__title", "product__is_public",
)  # fmt: skip
#: The same as plain values (the list's rows), with the cursor's keys `pk` and `date_updated`.
API_OFFER_VALUES = (
    "pk", "product_id",
    *(c for c in API_OFFER_COLUMNS if c not in ("price_currency", "partner_id")),
)  # fmt: skip
