"""Which shop's offer a product is sold from, for Oscar's basket and price display."""

from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, prices, strategy
from oscar.core.loading import get_model


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


class UseLineStockRecord:
    """A basket line is sold by the shop whose offer the resident put in the basket.

    Oscar's `Structured.fetch_for_line` forgets the line's stock record and picks one for the
    product again (the cheapest shop's, here): a line of the bakery's bread could turn into
    the grocer's. Here the line keeps its own offer, unavailable if that offer is no longer
    public (shop suspended, off sale). The basket's offers, with their shops and product
    classes, are read in one query for all its lines, and set on the lines.
    """

    def fetch_for_line(self, line, stockrecord=None):
        offer = self._line_offers(line).get(line.stockrecord_id)
        if offer is None:
            return super().fetch_for_line(line, stockrecord)
        if not (offer.is_on_sale and offer.partner.is_live):
            return strategy.PurchaseInfo(
                price=prices.Unavailable(),
                availability=availability.Unavailable(),
                stockrecord=offer,
            )
        return self.fetch_for_product(offer.product, offer)

    def _line_offers(self, line) -> dict:
        offers = self.__dict__.setdefault("_line_offers_cache", {})
        if line.stockrecord_id is not None and line.stockrecord_id not in offers:
            lines = line.basket.all_lines() if line.basket_id else [line]
            wanted = {other.stockrecord_id for other in lines} | {line.stockrecord_id}
            StockRecord = get_model("partner", "StockRecord")
            offers.update(
                (offer.pk, offer)
                for offer in StockRecord.objects.filter(pk__in=wanted - set(offers)).select_related(
                    "partner", "product__product_class", "product__parent__product_class"
                )
            )
            for other in lines:  # pages read `line.stockrecord.partner` too: no query each
                if other.stockrecord_id in offers:
                    other.stockrecord = offers[other.stockrecord_id]
        return offers


def _price_then_pk(stockrecord):
    return (stockrecord.price is None, stockrecord.price or 0, stockrecord.pk)


#: Below this many units an offer says how many are left ("Plus que 3").
FEW_LEFT = 3


class ShelfAvailability(availability.StockRequired):
    """Oscar's stock rule, said as a shop would: "En stock", "Plus que 2", "Épuisé" (not
    Oscar's "En stock (58 disponible(s))", which told the public the shop's stock)."""

    @property
    def message(self) -> str:
        if self.num_available <= 0:
            return str(_("Épuisé"))
        if self.num_available <= FEW_LEFT:
            return str(_("Plus que %(n)d") % {"n": self.num_available})
        return str(_("En stock"))

    @property
    def short_message(self) -> str:
        return self.message


class Default(
    UseLineStockRecord,
    UseChosenOrCheapestPublicStockRecord,
    strategy.StockRequired,
    strategy.NoTax,
    strategy.Structured,
):
    """Prices include VAT as shops set them (no tax computed on top), stock required."""

    def availability_policy(self, product, stockrecord):
        policy = super().availability_policy(product, stockrecord)
        if type(policy) is availability.StockRequired:
            return ShelfAvailability(policy.num_available)
        return policy


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Default(request)
