"""`{% shop_cards shops terms as cards %}`: the directory's shop cards, rendered once and kept.

A shop card is the same for every visitor (what the resident's basket lacks for a delivery is
said once above the list, not in each card), so it is cached like the product cards
(catalog.cache.rendered_cached) under everything it shows: the shop's name, trade, logo,
services, product count and opening status now, and the town's delivery terms (`terms`, from
the delivery app's `{% delivery_terms %}`, which this app may not import).
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalog.cache import rendered_cached
from shops import logos

register = template.Library()

CARD_TEMPLATE = "digitaix/shops/partials/shop_card.html"


@register.simple_tag(takes_context=True)
def shop_cards(context, shops, terms) -> list[SafeString]:
    """The rendered cards of `shops` (with `product_count` and `opening` set), in order."""

    def key_of(shop) -> tuple:
        return (
            shop.pk, shop.name, shop.code, shop.trade, shop.logo.name if shop.logo else "",
            shop.logo_renditions_of, repr(shop.logo_renditions),
            shop.offers_click_collect, shop.offers_delivery, shop.product_count,
            shop.opening.is_open, str(shop.opening.summary), repr(terms),
        )  # fmt: skip

    return rendered_cached(context, CARD_TEMPLATE, list(shops), name="shop", key_of=key_of)


@register.simple_tag
def logo_attrs(shop, size: int) -> SafeString:
    """`<img {% logo_attrs shop 72 %} alt="">`: the logo's src (its small copy sized for the
    slot once made, shops.logos), srcset and sizes, width and height. No query, no file."""
    attrs = logos.logo_attrs(shop, size)
    if "srcset" not in attrs:
        return format_html('src="{}" width="{}" height="{}"', attrs["src"], size, size)
    return format_html(
        'src="{}" srcset="{}" sizes="{}" width="{}" height="{}"',
        attrs["src"], attrs["srcset"], attrs["sizes"], size, size,
    )  # fmt: skip
