"""Write operations of the shops app, one module per concern:

- `moderation`: the town's decisions on shops and products (audit log, e-mail through the outbox);
- `offers`: a shop's offers in the resident's basket, the stock editor, product removal;
- `products`: a merchant's new product, an offer on a catalogue product, editing, bulk sale;
- `team`: the accounts that run a shop and their roles; `invitations`: joining a team;
- `identity`: a shop's name, SIRET and address, reviewed by the town once the shop is live;
- `portal`: the portal's daily snapshot, for the town's console.
"""

from shops.services.identity import (
    identity_change_decide,
    shop_name_taken,
    shop_profile_update,
)
from shops.services.invitations import (
    team_invitation_accept,
    team_invitation_accept_with_password,
    team_invitation_close,
    team_invitation_create,
    team_invitation_renew,
)
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
from shops.services.products import (
    ProductDetails,
    offers_on_sale_bulk_set,
    shop_offer_add,
    shop_product_create,
    shop_product_update,
)
from shops.services.team import shop_member_remove, shop_member_role_set

__all__ = [
    "TRANSITIONS",
    "identity_change_decide",
    "OfferChange",
    "ProductDetails",
    "basket_offer_add",
    "merchant_product_remove",
    "offer_on_sale_set",
    "offers_on_sale_bulk_set",
    "offer_remove",
    "offers_stock_update",
    "portal_snapshot_take",
    "product_moderate",
    "shop_member_remove",
    "shop_member_role_set",
    "shop_name_taken",
    "shop_profile_update",
    "shop_moderate",
    "shop_offer_add",
    "shop_product_create",
    "shop_product_update",
    "stock_alerts_sync",
    "team_invitation_accept",
    "team_invitation_accept_with_password",
    "team_invitation_close",
    "team_invitation_create",
    "team_invitation_renew",
]
