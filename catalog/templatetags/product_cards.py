"""`{% product_cards products as cards %}`: the product cards of a list, rendered once and kept.

A card is the same for every visitor (no user, no form token: its "Ajouter" button submits
the page's one basket form, see oscar/layout.html), so it is cached under a key made of
everything it shows: the product, its pictures, its public offers (price, stock, shop),
whether it is the page's first card, plus the language and the card template itself
(catalog.cache.rendered_cached). A change to any of them makes a new key, so a card is never
stale; unchanged cards cost one cache read for the whole list instead of a template rendering
each (most of a list page's time).
"""

from django import template
from django.utils.safestring import SafeString

from catalog.cache import rendered_cached
from catalog.selectors import products_cards_prefetch

register = template.Library()

CARD_TEMPLATE = "oscar/catalogue/partials/product.html"


@register.simple_tag(takes_context=True)
def product_cards(context, products, lazy=False) -> list[SafeString]:
    """The rendered cards of `products`, in order: no query when `products_for_cards` loaded
    them, up to 3 otherwise (a product page's recommendations). The first card's picture is
    fetched at once unless `lazy` (a list below the fold: a storefront's, under its banner)."""
    products = list(products)
    products_cards_prefetch(products)
    return rendered_cached(
        context, CARD_TEMPLATE, products, name="product", key_of=card_key, eager_first=not lazy
    )


def card_key(product) -> tuple:
    """Everything a card shows (from prefetched data: no query)."""
    images = tuple(
        (
            image.pk,
            image.original.name,
            image.display_order,
            image.caption,
            image.renditions_of,
            repr(image.renditions),
        )  # fmt: skip
        for image in product.images.all()
    )
    offers = tuple(
        (
            offer.pk,
            str(offer.price),
            offer.price_currency,
            offer.num_in_stock,
            offer.num_allocated,
            offer.is_on_sale,
            offer.partner_id,
            offer.partner.name,
            offer.partner.code,
            offer.partner.status,
        )  # fmt: skip
        for offer in product.stockrecords.all()
    )
    product_class = product.product_class
    return (
        product.pk, product.title, product.slug, product.structure, product.is_public,
        product_class and (product_class.pk, product_class.track_stock), images, offers,
    )  # fmt: skip
