"""Write operations of the shops app."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def basket_offer_add(*, basket, stockrecord, quantity: int):
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
