"""Write operations of the shops app, one module per concern:

- `moderation`: the town's decisions on shops and products (audit log, e-mail after commit);
- `offers`: a shop's offers in the resident's basket, the stock editor, product removal;
- `team`: the accounts that run a shop;
- `portal`: the portal's daily snapshot, for the town's console.
"""

from shops.services.moderation import (
    TRANSITIONS,
    product_moderate,
    product_moderation_notify,
    shop_moderate,
    shop_moderation_notify,
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
    INVITE_MEMORY_SECONDS,
    shop_member_add,
    shop_member_remove,
    team_invite_send,
)

__all__ = [
    "INVITE_MEMORY_SECONDS",
    "TRANSITIONS",
    "OfferChange",
    "basket_offer_add",
    "merchant_product_remove",
    "offer_on_sale_set",
    "offer_remove",
    "offers_stock_update",
    "portal_snapshot_take",
    "product_moderate",
    "product_moderation_notify",
    "shop_member_add",
    "shop_member_remove",
    "shop_moderate",
    "shop_moderation_notify",
    "stock_alerts_sync",
    "team_invite_send",
]
