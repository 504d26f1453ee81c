"""Read queries on shops. Queries limited to one shop will live here too."""

import datetime

from django.db import connection
from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from oscar.core.loading import get_model

from catalog.selectors import products_on_sale
from catalog.text import normalize
from shops.hours import local_now

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")


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
    """Live shops for the directory, filtered, with their hours and product counts."""
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
    qs = qs.annotate(product_count=_product_count()).order_by(_name_order(), "pk")
    return _with_schedule(qs, when)


def _name_order():
    """Alphabetical as a resident expects ("Épicerie" among the E) on PostgreSQL."""
    if connection.vendor == "postgresql":
        return Func(Lower("name"), function="unaccent").asc()
    return Lower("name").asc()


def _name_matches(qs: QuerySet, query: str) -> QuerySet:
    """Every word of `query` in the name, ignoring case and accents ("epicerie" ~ "Épicerie")."""
    words = normalize(query).split()
    if connection.vendor == "postgresql":
        qs = qs.annotate(plain_name=Func(F("name"), function="unaccent"))
        for word in words:
            qs = qs.filter(plain_name__icontains=word)
        return qs
    # SQLite (development) has no unaccent: compare normalised names in Python, 1 query.
    names = qs.values_list("pk", "name")
    ids = [pk for pk, name in names if all(w in normalize(name) for w in words)]
    return qs.filter(pk__in=ids)


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


def shops_of_user(user) -> QuerySet:
    """The shops `user` works for (Oscar's `Partner.users`), whatever their status."""
    if not user.is_authenticated:
        return Partner.objects.none()
    return Partner.objects.filter(users=user).order_by("name", "pk")


def merchant_shop_get(*, user, slug: str) -> Partner:
    """One of `user`'s shops by its slug; 404 for any other shop, so none is revealed."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(shops_of_user(user), code=slug)


def merchant_offers(*, shop: Partner) -> QuerySet:
    """All the offers of one shop (on sale or withdrawn), with their product."""
    return StockRecord.objects.filter(partner=shop).select_related("product")
