"""Which shop's offer a product is sold from, for Oscar's basket and price display."""

from oscar.apps.partner import strategy


class UseChosenOrCheapestPublicStockRecord:
    """The offer the resident chose, else the cheapest offer of a live shop.

    Never a pending or suspended shop's offer. Works on prefetched offers without a query
    (list pages prefetch only public offers, cheapest first), and with one query otherwise.
    """

    def choose(self, stockrecord) -> None:
        """Sell `stockrecord.product` from this offer for the rest of the request."""
        self.__dict__.setdefault("_chosen", {})[stockrecord.product_id] = stockrecord

    def select_stockrecord(self, product):
        chosen = self.__dict__.get("_chosen", {}).get(product.pk)
        if chosen is not None:
            return chosen
        cache = getattr(product, "_prefetched_objects_cache", {})
        if "stockrecords" in cache:
            offers = [sr for sr in cache["stockrecords"] if sr.is_on_sale and sr.partner.is_live]
            return min(offers, key=_price_then_pk, default=None)
        offers = product.stockrecords.public().select_related("partner")
        return offers.order_by("price", "pk").first()


def _price_then_pk(stockrecord):
    return (stockrecord.price is None, stockrecord.price or 0, stockrecord.pk)


class Default(
    UseChosenOrCheapestPublicStockRecord,
    strategy.StockRequired,
    strategy.NoTax,
    strategy.Structured,
):
    """Prices include VAT as shops set them (no tax computed on top), stock required."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
