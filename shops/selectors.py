"""Read queries on shops. Queries limited to one shop will live here too."""

from django.db.models import Count, QuerySet
from oscar.core.loading import get_model

from catalog.selectors import products_on_sale

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def shops_online() -> QuerySet:
    """Shops the public can see: live ones, whatever their status history."""
    return Partner.objects.filter(status=Partner.Status.LIVE)


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
