"""Read queries on shops. Queries limited to one shop will live here too (issue: shops)."""

from django.db.models import Count, Exists, OuterRef, QuerySet
from oscar.core.loading import get_model

from catalog.selectors import products_on_sale

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def shops_online() -> QuerySet:
    """Shops the public can see: for now, every shop that offers at least one product."""
    return Partner.objects.filter(
        Exists(StockRecord.objects.filter(partner=OuterRef("pk"), product__is_public=True))
    )


def shops_featured(*, limit: int = 6) -> list:
    """The shops with the widest offer, each with its product count: 1 query."""
    return list(
        shops_online()
        .annotate(product_count=Count("stockrecords", distinct=True))
        .order_by("-product_count", "name")[:limit]
    )


def portal_counters() -> dict:
    """The public counters on the home page: 2 queries."""
    return {"shops": shops_online().count(), "products": products_on_sale().count()}
