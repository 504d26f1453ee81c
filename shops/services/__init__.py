"""Write operations of the shops app, one module per concern:

- `moderation`: the town's decisions on shops and products (audit log, e-mail through the outbox);
- `offers`: a shop's offers in the resident's basket, the stock editor, product removal;
- `team`: the accounts that run a shop;
- `portal`: the portal's daily snapshot, for the town's console.
"""

from shops.services.moderation import (
    TRANSITIONS,
    product_moderate,
    shop_moderate,
)
from shops.services.offers import (
    OfferChange,
    basket_offer_add,
    merchant_product_remove,
    offer_on_sale_set,
    offer_remove,
    offers_stock_update,
    stock_alerts_sync,
)
from shops.services.portal import portal_snapshot_take
from shops.services.team import (
    shop_member_add,
    shop_member_remove,
)

__all__ = [
    "TRANSITIONS",
    "OfferChange",
    "basket_offer_add",
    "merchant_product_remove",
    "offer_on_sale_set",
    "offer_remove",
    "offers_stock_update",
    "portal_snapshot_take",
    "product_moderate",
    "shop_member_add",
    "shop_member_remove",
    "shop_moderate",
    "stock_alerts_sync",
]
