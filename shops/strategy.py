"""Which shop's offer a product is sold from, for Oscar's basket and price display."""

from oscar.apps.partner import strategy


class UseFirstPublicStockRecord:
    """The first offer of a live shop: never a pending or suspended shop's.

    Works on prefetched offers without a query (list pages prefetch only public offers
    with their shop), and with one query otherwise.
    """

    def select_stockrecord(self, product):
        cache = getattr(product, "_prefetched_objects_cache", {})
        if "stockrecords" in cache:
            offers = [sr for sr in cache["stockrecords"] if sr.partner.is_live]
            return offers[0] if offers else None
        return product.stockrecords.public().select_related("partner").order_by("pk").first()


class Default(
    UseFirstPublicStockRecord, strategy.StockRequired, strategy.NoTax, strategy.Structured
):
    """Prices include VAT as shops set them (no tax computed on top), stock required."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
