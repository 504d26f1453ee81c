"""Read queries on shops. Queries limited to one shop will live here too."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Exists, Func, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from oscar.core.loading import get_model

from accounts.types import Visitor
from catalog.cache import aggregate_cached
from catalog.search.words import query_words
from catalog.selectors import products_on_sale
from catalog.text import light_stem, normalize
from shops.hours import local_now

if TYPE_CHECKING:
    from oscar.apps.catalogue.reviews.models import ProductReview

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")
Product = get_model("catalogue", "Product")
ContentVersion = get_model("catalogue", "ContentVersion")


def offers_on_sale() -> QuerySet:
    """The offers the public may see and buy: on sale, from live shops. The catalogue's
    browsing and search read them through settings.DIGITAIX_PUBLIC_OFFERS (it may not
    import shops)."""
    return StockRecord.objects.public()


def shops_online() -> QuerySet:
    """Shops the public can see: live ones, whatever their status history."""
    return Partner.objects.filter(status=Partner.Status.LIVE)


def shops_featured(*, limit: int = 6) -> list:
    """The shops with the widest offer, each with its product count: 1 query."""
    return list(
        shops_online()
        .annotate(product_count=_product_count())
        .order_by("-product_count", "name")[:limit]
    )


def portal_counters() -> dict:
    """The public counters on the home page: 2 queries."""
    return {"shops": shops_online().count(), "products": products_on_sale().count()}


def shops_products_online() -> dict[int, int]:
    """Shop id -> how many of `portal_counters`' products online it offers (absent: none).

    The same definition per shop as the public counter: a browsable product with a public
    offer (on sale, from a live shop), here each shop's. One grouped query for every shop.
    """
    rows = (
        StockRecord.objects.public()
        .filter(product__in=Product.objects.browsable().values("pk"))
        .order_by()
        .values_list("partner")
        .annotate(n=Count("product", distinct=True))
    )
    return dict(rows)


def shops_last_change(shops: QuerySet) -> QuerySet:
    """`shops` (only their code) with `last_change`: the latest of their status change and
    their offers' changes, for the sitemap (None for a shop without either)."""
    from django.db.models import Max
    from django.db.models.functions import Coalesce, Greatest

    return shops.only("id", "code", "status_changed_at").annotate(
        last_offer=Max("stockrecords__date_updated"),
        # Greatest is NULL on SQLite as soon as one side is: each side falls back on the other.
        last_change=Greatest(
            Coalesce("status_changed_at", "last_offer"), Coalesce("last_offer", "status_changed_at")
        ),
    )


#: The town's console lists live shops whose stock no source confirmed for this many days.
STOCK_STALE_DAYS = 7


def shops_stock_stale(
    *, now: datetime.datetime, days: int = STOCK_STALE_DAYS, limit: int = 50
) -> tuple[int, list]:
    """(how many, the first `limit`) live shops with offers whose stock was last synced
    (by hand, import, API, feed or WooCommerce; an offer never synced counts from its last
    change) more than `days` days before `now`, the stalest first, each with `last_sync`
    and its `stock_feed` (or None). 2 queries, whatever the number of shops."""
    from django.db.models import Max
    from django.db.models.functions import Coalesce

    cutoff = now - datetime.timedelta(days=days)
    stale = (
        Partner.objects.filter(status=Partner.Status.LIVE, stockrecords__isnull=False)
        .annotate(
            last_sync=Max(Coalesce("stockrecords__stock_synced_at", "stockrecords__date_updated"))
        )
        .filter(last_sync__lt=cutoff)
    )
    shops = list(
        stale.select_related("stock_feed")
        .only("name", "code", "stock_feed__url", "stock_feed__kind",
              "stock_feed__consecutive_failures", "stock_feed__last_success_at")
        .order_by("last_sync", "name", "pk")[: limit + 1]
    )  # fmt: skip
    if len(shops) <= limit:
        return len(shops), shops
    return stale.count(), shops[:limit]


def shops_open_at(qs: QuerySet, when: datetime.datetime | None = None) -> QuerySet:
    """The shops of `qs` open at `when` (now by default), in the town's local time."""
    now = local_now(when)
    open_span = OpeningHours.objects.filter(
        shop=OuterRef("pk"), weekday=now.weekday(), opens__lte=now.time(), closes__gt=now.time()
    )
    closed = ClosingPeriod.objects.filter(
        shop=OuterRef("pk"), starts_on__lte=now.date(), ends_on__gte=now.date()
    )
    return qs.filter(Exists(open_span), ~Exists(closed))


def _with_schedule(qs: QuerySet, when: datetime.datetime | None = None) -> QuerySet:
    """Prefetch weekly hours and the closures not over yet: 2 queries for any number of shops."""
    closures = ClosingPeriod.objects.filter(ends_on__gte=local_now(when).date())
    return qs.prefetch_related("opening_hours", Prefetch("closing_periods", queryset=closures))


def _product_count() -> Count:
    """Products on sale at the shop: browsable products it offers (a shop counts each once)."""
    on_sale = Q(
        stockrecords__is_on_sale=True,
        stockrecords__product__is_public=True,
        stockrecords__product__parent=None,
    )
    return Count("stockrecords__product", filter=on_sale, distinct=True)


def shops_directory(
    *,
    query: str = "",
    trade: str = "",
    open_now: bool = False,
    click_collect: bool = False,
    delivery: bool = False,
    when: datetime.datetime | None = None,
) -> QuerySet:
    """Live shops for the directory, filtered, with their hours (the counts of products come
    once the page is cut: `shops_product_counts_attach`)."""
    qs = shops_online()
    if trade:
        qs = qs.filter(trade=trade)
    if click_collect:
        qs = qs.filter(offers_click_collect=True)
    if delivery:
        qs = qs.filter(offers_delivery=True)
    if open_now:
        qs = shops_open_at(qs, when)
    if normalize(query):
        qs = _name_matches(qs, query)
    # No product count here: counting every live shop's offers to show one page of them
    # joined and sorted every offer of the town (`shops_product_counts_attach` counts the
    # page's shops only, once it is cut).
    return _with_schedule(qs.order_by(_name_order(), "pk"), when)


def catalogue_version() -> tuple:
    """The latest change to a product, an offer or a shop's status, and the public content's
    counter (catalog.cache keeps the catalogue's aggregates and pages under it): 1 query, two
    index scans, the small shop table and a one-row table.

    Saves, bulk creations and this app's bulk updates all set `date_updated`. The counter
    (`ContentVersion`) is raised after every other committed change the public pages show,
    deletions included (`catalog.pagecache.WATCHED`)."""
    product = Product._meta.db_table
    offer, shop = StockRecord._meta.db_table, Partner._meta.db_table
    content = ContentVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(date_updated) FROM {product}),"  # noqa: S608 - table names
            f" (SELECT MAX(date_updated) FROM {offer}),"
            f" (SELECT MAX(status_changed_at) FROM {shop}),"
            f" (SELECT MAX(value) FROM {content})"
        )
        return tuple(str(value) for value in cursor.fetchone())


def shops_product_counts_attach(shops: Iterable[Partner]) -> None:
    """Set `shop.product_count` (products on sale it offers, each once) on `shops`: 1 query."""
    shops = list(shops)
    counts = dict(
        StockRecord.objects.filter(
            partner_id__in=[shop.pk for shop in shops],
            is_on_sale=True,
            product__is_public=True,
            product__parent=None,
        )
        .values("partner_id")
        .annotate(n=Count("product_id", distinct=True))
        .values_list("partner_id", "n")
    )
    for shop in shops:
        shop.product_count = counts.get(shop.pk, 0)


def _name_order():
    """Alphabetical as a resident expects ("Épicerie" among the E) on PostgreSQL."""
    if connection.vendor == "postgresql":
        return Func(Lower("name"), function="unaccent").asc()
    return Lower("name").asc()


def _name_matches(qs: QuerySet, query: str) -> QuerySet:
    """The directory's search: every word of `query` in the name, the trade (or a synonym of
    it: "fromager" finds the cheese shops), the description or the street, ignoring case and
    accents; the same matching on SQLite and PostgreSQL (`shops_search`)."""
    return qs.filter(pk__in=shops_search(query=query))


def shops_for_storefront(*, include_hidden: bool = False) -> QuerySet:
    """Shops whose storefront may be shown, with their schedule: live ones (all for staff)."""
    qs = Partner.objects.all() if include_hidden else shops_online()
    return _with_schedule(qs)


def offers_public() -> QuerySet:
    """Offers a resident may buy: a live shop's, on a public product, with both loaded."""
    return (
        StockRecord.objects.public()
        .filter(product__is_public=True)
        .select_related("product", "partner")
    )


# --- The merchant's side: every query limited to the shops a user belongs to --------------


def shops_of_user(user: Visitor) -> QuerySet:
    """The shops `user` works for (Oscar's `Partner.users`), whatever their status."""
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(users=user).order_by("name", "pk")


def merchant_shop_get(*, user: Visitor, slug: str) -> Partner:
    """One of `user`'s shops by its slug; 404 for any other shop, so none is revealed."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(shops_of_user(user), code=slug)


def merchant_offers(*, shop: Partner) -> QuerySet:
    """All the offers of one shop (on sale or withdrawn), with their product."""
    return StockRecord.objects.filter(partner=shop).select_related("product")


# --- The merchant's stock editor and CSV import/export: one shop's offers only -----------

CsvImport = get_model("partner", "CsvImport")


def merchant_offer_get(*, shop: Partner, pk: int) -> StockRecord:
    """One offer of the shop by id; 404 for any other shop's offer."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(merchant_offers(shop=shop), pk=pk)


def merchant_offers_locked(*, shop: Partner, ids: Iterable[int]) -> QuerySet:
    """The shop's offers among `ids`, locked until the transaction ends (not their products)."""
    return merchant_offers(shop=shop).filter(pk__in=list(ids)).select_for_update(of=("self",))


def merchant_offers_by_sku(*, shop: Partner, skus: Iterable[str]) -> QuerySet:
    """The shop's offers with these SKUs, locked, with their product: for the CSV import."""
    return (
        merchant_offers(shop=shop)
        .filter(partner_sku__in=list(skus))
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def products_offered_elsewhere(*, shop: Partner, product_ids: Iterable[int]) -> set[int]:
    """Which of these products another shop offers too (the import leaves those unchanged)."""
    return set(
        StockRecord.objects.filter(product_id__in=list(product_ids))
        .exclude(partner=shop)
        .values_list("product_id", flat=True)
        .distinct()
    )


def product_offered_by_others(*, product: Product, user: Visitor) -> bool:
    """Whether a shop `user` does not work for offers this product too (it is shared)."""
    others = StockRecord.objects.filter(product=product).exclude(
        partner__in=shops_of_user(user).values("pk")
    )
    return others.exists()


def merchant_offers_export(*, shop: Partner) -> QuerySet:
    """The shop's offers as CSV export rows (plain values; categories: see the next one)."""
    return (
        StockRecord.objects.filter(partner=shop)
        .order_by(Lower("product__title"), "pk")
        .values_list(
            "partner_sku",
            "product_id",
            "product__title",
            "price",
            "num_in_stock",
            "is_on_sale",
            "product__description",
            "product__upc",
        )
    )


def merchant_products_first_category(*, shop: Partner) -> dict[int, str]:
    """Product id -> name of its first category, for the products the shop offers: 1 query."""
    links = (
        get_model("catalogue", "ProductCategory")
        .objects.filter(product__stockrecords__partner=shop)
        .order_by("pk")
        .values_list("product_id", "category__name")
    )
    first: dict[int, str] = {}
    for product_id, name in links:
        first.setdefault(product_id, name)
    return first


def merchant_csv_imports(*, shop: Partner) -> QuerySet:
    """The shop's CSV imports, latest first."""
    return CsvImport.objects.filter(shop=shop).select_related("user")


def merchant_csv_import_get(*, shop: Partner, pk: int) -> CsvImport:
    """One CSV import of the shop; 404 for any other shop's."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(merchant_csv_imports(shop=shop), pk=pk)


def merchant_shops_onboarding(*, user: Visitor) -> QuerySet:
    """`user`'s shops with what their onboarding checklist needs (hours? an offer?): 1 query."""
    return shops_of_user(user).annotate(
        has_opening_hours=Exists(OpeningHours.objects.filter(shop=OuterRef("pk"))),
        has_offer=Exists(StockRecord.objects.filter(partner=OuterRef("pk"))),
    )


def merchant_offers_of_user(*, user: Visitor) -> QuerySet:
    """Every offer of every shop `user` works for (Oscar's product pages span their shops)."""
    return StockRecord.objects.filter(partner__in=shops_of_user(user).values("pk"))


def merchant_product_lookup(*, user: Visitor) -> QuerySet:
    """The shared catalogue as a merchant may search it (Oscar's product lookup): their own
    shops' products, and what the public sees (live shops' public products); never a
    pending or suspended shop's product, nor one the town withdrew from another shop."""
    own = Exists(merchant_offers_of_user(user=user).filter(product=OuterRef("pk")))
    public = Q(pk__in=products_on_sale().values("pk"))
    return Product.objects.browsable().filter(Q(own) | public).order_by("title", "pk")


# --- The town's moderation screens (commerce staff): any shop, any product ----------------

ModerationEvent = get_model("partner", "ModerationEvent")
ProductModerationEvent = get_model("partner", "ProductModerationEvent")


def _merchants_prefetch() -> Prefetch:
    """A shop's merchants, only what the moderation rows show."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.only("pk", "email", "first_name", "last_name")
    return Prefetch("users", queryset=users.order_by("email", "pk"))


def _in_queue() -> Q:
    """Shops the town may see in its queues: a pending shop shows once one of its merchants
    has proven their e-mail address (accounts.verification); a shop with no merchant (made
    by staff) shows at once. Other statuses are the town's own decisions: always shown."""
    from accounts.verification import verified_user_ids

    links = Partner.users.through.objects.filter(partner_id=OuterRef("pk"))
    proven = Exists(links.filter(user_id__in=verified_user_ids()))
    return ~Q(status=Partner.Status.PENDING) | proven | ~Exists(links)


def moderation_status_counts() -> dict[str, int]:
    """How many shops of the queues have each status (0 for none): 1 query."""
    queued = Partner.objects.filter(_in_queue()).order_by()
    counts = dict(queued.values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Partner.Status.values}


def moderation_shops(*, status: str) -> QuerySet:
    """The shops of one status for the moderation queue, oldest first, with their merchants;
    pending shops once a merchant's address is proven (_in_queue).

    Partner has no creation date: its id gives the order of registration. 2 queries per page.
    """
    return (
        Partner.objects.filter(_in_queue(), status=status)
        .only("pk", "name", "code", "trade", "city", "siret", "status", "status_changed_at")
        .prefetch_related(_merchants_prefetch())
        .order_by("pk")
    )


def moderation_shop_get(*, pk: int) -> Partner:
    """Any shop by id, with its merchants and the number of products it offers; else 404."""
    from django.shortcuts import get_object_or_404

    qs = Partner.objects.annotate(
        offer_count=Count("stockrecords", distinct=True),
        on_sale_count=Count("stockrecords", filter=Q(stockrecords__is_on_sale=True), distinct=True),
    ).prefetch_related(_merchants_prefetch(), "opening_hours")
    return get_object_or_404(qs, pk=pk)


def moderation_shop_events(*, shop: Partner) -> QuerySet:
    """The town's decisions on one shop, latest first, with who took them."""
    return ModerationEvent.objects.filter(shop=shop).select_related("actor")


def moderation_log_shops(*, shop: Partner | None = None) -> QuerySet:
    """Every decision on a shop (or on one shop), latest first, with shop and author: 1 query."""
    qs = ModerationEvent.objects.select_related("actor").select_related("shop")
    qs = qs.defer("shop__description")
    return qs.filter(shop=shop) if shop is not None else qs


def moderation_log_products(*, shop: Partner | None = None) -> QuerySet:
    """Every decision on a product (or on the products `shop` offers), latest first: 1 query."""
    qs = ProductModerationEvent.objects.select_related("actor", "product").defer(
        "product__description", "product__search_text", "product__search_vector"
    )
    if shop is not None:
        offered = StockRecord.objects.filter(partner=shop, product=OuterRef("product_id"))
        qs = qs.filter(Exists(offered))
    return qs


def _offers_with_shop() -> Prefetch:
    """A product's offers from every shop, whatever its status, with the shop's name."""
    offers = (
        StockRecord.objects.select_related("partner")
        .only("pk", "product_id", "is_on_sale", "partner__name", "partner__code", "partner__status")
        .order_by("partner__name", "pk")
    )
    return Prefetch("stockrecords", queryset=offers)


def moderation_products(*, query: str = "", state: str = "") -> QuerySet:
    """Products by title for the moderation screen, with the shops offering them: 2 queries.

    `state`: "withdrawn" (not public), "public", or anything else for all.
    """
    qs = Product.objects.defer("description", "search_text", "search_vector")
    query = (query or "").strip()
    if query:
        qs = qs.filter(title__icontains=query)
    if state == "withdrawn":
        qs = qs.filter(is_public=False)
    elif state == "public":
        qs = qs.filter(is_public=True)
    return qs.prefetch_related(_offers_with_shop()).order_by(Lower("title"), "pk")


def moderation_product_get(*, pk: int) -> Product:
    """Any product by id, with the shops offering it; else 404."""
    from django.shortcuts import get_object_or_404

    qs = Product.objects.defer("search_text", "search_vector").prefetch_related(_offers_with_shop())
    return get_object_or_404(qs, pk=pk)


def moderation_product_events(*, product: Product) -> QuerySet:
    """The town's decisions on one product, latest first, with who took them."""
    return ProductModerationEvent.objects.filter(product=product).select_related("actor")


def product_merchants(*, product: Product) -> dict[str, list[str]]:
    """E-mail of each merchant of a shop offering `product` -> the names of those shops: 1 query."""
    rows = (
        Partner.users.through.objects.filter(partner__stockrecords__product=product)
        .exclude(user__email="")
        .values_list("user__email", "partner__name")
        .distinct()
        .order_by("user__email", "partner__name")
    )
    merchants: dict[str, list[str]] = {}
    for email, shop_name in rows:
        merchants.setdefault(email, []).append(shop_name)
    return merchants


def commerce_staff_emails() -> list[str]:
    """The addresses of the town's active commerce staff (who hold `moderate_shops`)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from shops.models import COMMERCE_STAFF_GROUP

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(Q(groups__name=COMMERCE_STAFF_GROUP) | Q(is_superuser=True)).distinct()
    return sorted(users.values_list("email", flat=True))


# --- Residents' reviews, held for moderation by the shop or the town -----------------------


def reviews_to_moderate(*, user: Visitor, every_shop: bool) -> QuerySet:
    """Reviews awaiting a decision, oldest first: every product's (`every_shop`: the town's
    staff, shops.access decides) or those of the products `user`'s shops offer."""
    ProductReview = get_model("reviews", "ProductReview")
    reviews = ProductReview.objects.filter(status=ProductReview.FOR_MODERATION)
    if not every_shop:
        offered = merchant_offers_of_user(user=user).values("product_id")
        reviews = reviews.filter(product__in=offered)
    return reviews.select_related("product", "user").order_by("date_created", "pk")


def review_to_moderate_get(*, user: Visitor, every_shop: bool, pk: int) -> "ProductReview":
    """One review `user` may decide on; 404 for any other (another shop's, or decided)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(reviews_to_moderate(user=user, every_shop=every_shop), pk=pk)


# --- Search: shops by name, trade (and its synonyms), description, street ---------------------


def _shop_texts() -> list[tuple[int, str, str, str]]:
    """(pk, name, trade, the rest) of every live shop, normalised: 1 query, cached a couple of
    minutes under a key that changes when a shop goes live or leaves."""
    live = shops_online()
    version = live.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("status_changed_at"))

    def compute() -> list[tuple[int, str, str, str]]:
        labels = dict(Partner.Trade.choices)
        rows = live.values_list("pk", "name", "trade", "description", "address_line", "city")
        return [
            (
                pk,
                normalize(name),
                normalize(f"{trade} {labels.get(trade, '')}"),
                normalize(f"{description} {street} {city}"),
            )  # fmt: skip
            for pk, name, trade, description, street, city in rows
        ]

    return aggregate_cached(("shop-texts", tuple(sorted(version.items()))), compute)


def shops_search(*, query: str, limit: int | None = None) -> list[int]:
    """Live shops matching every word of `query` (or a synonym: "boulangère" finds the
    bakeries by their trade), best first: a word in the name counts 3, in the trade 2, in
    the description or address 1; ties by name. Returns their pks."""
    words = query_words(query)
    if not words:
        return []
    stemmed = [
        (word.typed, [" ".join(light_stem(w) for w in alt.split()) for alt in word.alternatives])
        for word in words
    ]
    scored = []
    for pk, name, trade, rest in _shop_texts():
        score = 0
        for typed, stems in stemmed:
            best = max(
                (3 if s in name else 2 if s in trade else 1 if s in rest else 0) for s in stems
            )
            if not best:
                break
            score += best + (1 if typed in name else 0)
        else:
            scored.append((-score, name, pk))
    ranked = [pk for _score, _name, pk in sorted(scored)]
    return ranked[:limit] if limit else ranked


def shops_found(*, query: str, limit: int = 6) -> list[Partner]:
    """The shops `shops_search` ranks first, loaded in that order (1 query more)."""
    ids = shops_search(query=query, limit=limit)
    shops = Partner.objects.in_bulk(ids)
    return [shops[pk] for pk in ids if pk in shops]
