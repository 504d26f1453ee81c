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
from shops import renditions

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
def shop_picture_attrs(
    shop, picture: str, width: int, height: int = 0, sizes: str = ""
) -> SafeString:
    """`<img {% shop_picture_attrs shop "logo" 72 %} alt="">`: the shop's logo or banner, as
    its small copy sized for the slot once made (shops.renditions) with srcset and sizes (by
    default `width`px), and width and height (a square by default). No query, no file."""
    attrs = renditions.picture_attrs(shop, picture, width)
    height = height or width
    if "srcset" not in attrs:
        return format_html('src="{}" width="{}" height="{}"', attrs["src"], width, height)
    return format_html(
        'src="{}" srcset="{}" sizes="{}" width="{}" height="{}"',
        attrs["src"], attrs["srcset"], sizes or f"{width}px", width, height,
    )  # fmt: skip
