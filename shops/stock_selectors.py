"""The shop's stock alerts, for its day (/ma-boutique/<code>/): its offers on sale that are
sold out or running low. Limited to one shop, like every query of shops/selectors.py (kept
apart: that module is past its size)."""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


@dataclass(frozen=True)
class StockAlerts:
    """The first offers sold out (`out`) and running low (`low`), each with `available`, and
    how many of each there are in all."""

    out: list
    low: list
    out_count: int
    low_count: int

    @property
    def count(self) -> int:
        return self.out_count + self.low_count


def _watched(shop) -> QuerySet:
    """The shop's offers on sale whose stock is counted (a product type that tracks stock),
    each with `available`: in stock minus what open orders hold."""
    tracked = Q(product__product_class__track_stock=True) | Q(
        product__parent__product_class__track_stock=True
    )
    zero = Value(0, output_field=IntegerField())
    return (
        StockRecord.objects.filter(partner=shop, is_on_sale=True)
        .filter(tracked)
        .annotate(available=Coalesce("num_in_stock", zero) - Coalesce("num_allocated", zero))
    )


def merchant_stock_alerts(*, shop: Partner, threshold: int, limit: int = 10) -> StockAlerts:
    """Offers sold out (nothing available) and low (at most `threshold` available), the
    emptiest first: 2 queries."""
    offers = _watched(shop)
    counts = offers.order_by().aggregate(
        out=Count("pk", filter=Q(available__lte=0)),
        low=Count("pk", filter=Q(available__gt=0, available__lte=threshold)),
    )
    first = list(
        offers.filter(available__lte=threshold)
        .select_related("product")
        .only("pk", "partner_id", "num_in_stock", "num_allocated", "product__title")
        .order_by(F("available").asc(), "product__title", "pk")[: 2 * limit]
    )
    return StockAlerts(
        out=[offer for offer in first if offer.available <= 0][:limit],
        low=[offer for offer in first if offer.available > 0][:limit],
        out_count=counts["out"],
        low_count=counts["low"],
    )
