"""A shop's offers: the resident's basket, the merchant's stock editor and product pages."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shops.bulk import rows_update

if TYPE_CHECKING:
    from oscar.apps.basket.models import Basket
    from oscar.apps.basket.models import Line as BasketLine

    from catalog.models import Product

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
StockAlert = get_model("partner", "StockAlert")


def basket_offer_add(*, basket: "Basket", stockrecord: StockRecord, quantity: int) -> "BasketLine":
    """Put `quantity` of a product in the basket, bought from the shop of `stockrecord`.

    Oscar's basket asks its strategy which offer to sell from; the strategy is told the
    resident's choice first. Refused with a French message, nothing changed, when the
    quantity is not allowed or the shop has not enough stock.
    """
    product = stockrecord.product
    basket.strategy.choose(stockrecord)
    info = basket.strategy.fetch_for_product(product)
    line = basket.lines.filter(stockrecord=stockrecord).first() if basket.id else None
    in_basket = line.quantity if line else 0
    allowed, reason = basket.is_quantity_allowed(quantity)
    if allowed:
        allowed, reason = info.availability.is_purchase_permitted(in_basket + quantity)
    if not allowed:
        raise ValidationError(
            _("Impossible d'ajouter ce produit chez %(shop)s : %(reason)s")
            % {"shop": stockrecord.partner.name, "reason": reason}
        )
    line, _created = basket.add_product(product, quantity)
    return line


# --- The merchant's stock editor: one shop's offers, all or nothing ------------------------


@dataclass(frozen=True)
class OfferChange:
    """What the stock editor sets on one offer (already checked for format)."""

    price: Decimal
    num_in_stock: int
    is_on_sale: bool


@transaction.atomic
def offers_stock_update(
    *, shop: Partner, changes: dict[int, OfferChange], source: str = StockRecord.StockSource.HAND
) -> int:
    """Save the stock editor's rows in one go, or nothing; returns how many offers changed.

    Every offer named is marked as confirmed now by `source` (the API, a feed, WooCommerce),
    changed or not: that is the merchant's "last synced". The stock editor, which posts a
    whole page, marks only the rows it changed.

    PermissionDenied when an id is not one of the shop's offers; ValidationError keyed by
    offer id when a stock falls below what orders already hold. A constant number of
    queries whatever the number of rows (one locking read, one bulk update, the alerts).
    """
    from shops import selectors

    offers = list(selectors.merchant_offers_locked(shop=shop, ids=changes))
    if len(offers) != len(changes):
        raise PermissionDenied(_("Ces lignes ne sont pas toutes des offres de votre boutique."))
    errors = {}
    for offer in offers:
        allocated = offer.num_allocated or 0
        if changes[offer.pk].num_in_stock < allocated:
            errors[str(offer.pk)] = _(
                "Le stock ne peut pas descendre sous les %(n)s unités déjà réservées."
            ) % {"n": allocated}
    if errors:
        raise ValidationError(errors)
    now, changed, ran_out = timezone.now(), [], []
    for offer in offers:
        change = changes[offer.pk]
        new = (change.price, change.num_in_stock, change.is_on_sale)
        if change.num_in_stock <= (offer.num_allocated or 0) < (offer.num_in_stock or 0):
            ran_out.append(offer)
        if (offer.price, offer.num_in_stock, offer.is_on_sale) != new:
            offer.price, offer.num_in_stock, offer.is_on_sale = new
            offer.date_updated = now
            offer.stock_source, offer.stock_synced_at = source, now
            changed.append(offer)
    rows_update(
        StockRecord,
        changed,
        ["price", "num_in_stock", "is_on_sale", "date_updated", "stock_source", "stock_synced_at"],
    )
    unchanged = set(changes) - {o.pk for o in changed}
    if unchanged and source != StockRecord.StockSource.HAND:
        StockRecord.objects.filter(pk__in=list(unchanged)).update(
            stock_source=source, stock_synced_at=now
        )
    stock_alerts_sync(offers=changed)
    if ran_out:
        from shops.services.webhooks import offers_out_of_stock_add

        offers_out_of_stock_add(shop=shop, offers=ran_out)
    return len(changed)


def stock_alerts_sync(*, offers: list) -> None:
    """Open or close Oscar's low-stock alerts of offers saved in bulk (no post_save there).

    Mirrors oscar.apps.partner.receivers.update_stock_alerts in 1 to 3 queries.
    """
    watched = [o for o in offers if o.pk and o.low_stock_threshold is not None]
    if not watched:
        return
    open_alerts = {
        a.stockrecord_id: a
        for a in StockAlert.objects.filter(
            stockrecord__in=[o.pk for o in watched], status=StockAlert.OPEN
        )
    }
    to_open = [
        StockAlert(stockrecord=o, threshold=o.low_stock_threshold)
        for o in watched
        if o.is_below_threshold and o.pk not in open_alerts
    ]
    to_close = [
        open_alerts[o.pk].pk for o in watched if not o.is_below_threshold and o.pk in open_alerts
    ]
    if to_open:
        StockAlert.objects.bulk_create(to_open)
    if to_close:
        StockAlert.objects.filter(pk__in=to_close).update(
            status=StockAlert.CLOSED, date_closed=timezone.now()
        )


@transaction.atomic
def offer_on_sale_set(*, offer: StockRecord, on_sale: bool) -> StockRecord:
    """Withdraw an offer from sale, or put it back: a withdrawn offer leaves every public page."""
    offer = (
        StockRecord.objects.select_for_update(of=("self",))
        .select_related("product")
        .get(pk=offer.pk)
    )
    if offer.is_on_sale != on_sale:
        offer.is_on_sale = on_sale
        offer.save(update_fields=["is_on_sale", "date_updated"])
    return offer


# --- Oscar's product pages for a merchant: their own offers only --------------------------


@transaction.atomic
def offer_remove(*, offer: StockRecord) -> bool:
    """Delete an offer, or withdraw it from sale when it has been ordered, so that the order
    lines keep pointing at it. True when it was deleted."""
    offer = StockRecord.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    if offer.line_set.exists():
        if offer.is_on_sale:
            offer.is_on_sale = False
            offer.save(update_fields=["is_on_sale", "date_updated"])
        return False
    offer.delete()
    return True


@transaction.atomic
def merchant_product_remove(*, product: "Product", shops: Iterable[Partner]) -> str:
    """Remove the offers of `shops` on `product` and its variants, never another shop's.

    The product itself is deleted only when no shop offers it any more and it was never
    ordered. Returns "deleted" (the product), "removed" (the offers) or "withdrawn" (some
    offer had been ordered and is only taken off sale).
    """
    family = [product, *product.children.all()]
    offers = StockRecord.objects.filter(product__in=family, partner__in=shops).order_by("pk")
    all_deleted = all([offer_remove(offer=offer) for offer in offers])
    if not all_deleted:
        return "withdrawn"
    offered_elsewhere = StockRecord.objects.filter(product__in=family).exists()
    if offered_elsewhere or any(member.line_set.exists() for member in family):
        return "removed"
    product.delete()
    return "deleted"
