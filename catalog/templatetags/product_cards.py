"""`{% product_cards products as cards %}`: the product cards of a list, rendered once and kept.

A card is the same for every visitor (no user, no form token: its "Ajouter" button submits
the page's one basket form, see oscar/layout.html), so it is cached under a key made of
everything it shows: the product, its pictures, its public offers (price, stock, shop), the
language, whether it is the page's first card, and the card template itself. A change to any
of them makes a new key, so a card is never stale; unchanged cards cost one cache read for
the whole list instead of a template rendering each (most of a list page's time).
"""

import hashlib
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from catalog.cache import cache_get_many, cache_key, cache_set_many
from catalog.selectors import products_cards_prefetch

register = template.Library()

CARD_TEMPLATE = "oscar/catalogue/partials/product.html"


@register.simple_tag(takes_context=True)
def product_cards(context, products) -> list[SafeString]:
    """The rendered cards of `products` (prefetched by `catalog.selectors.products_for_cards`),
    in order; no query but the cache's one read."""
    products = list(products)
    products_cards_prefetch(products)
    card = context.template.engine.get_template(CARD_TEMPLATE)
    language = get_language()
    keys = [
        card_key(product, first=index == 0, language=language, template=card.source)
        for index, product in enumerate(products)
    ]
    seconds = settings.DIGITAIX_CARD_CACHE_SECONDS
    found = cache_get_many(keys) if seconds > 0 else {}
    cards, rendered = [], {}
    for index, (key, product) in enumerate(zip(keys, products, strict=True)):
        html = found.get(key)
        if html is None:
            html = rendered[key] = _render(card, context, product=product, first=index == 0)
        cards.append(html)
    if rendered and seconds > 0:
        cache_set_many(rendered, seconds)
    return cards


def _render(card, context, *, product, first: bool) -> SafeString:
    with context.push(product=product, card_first=first):
        return card.render(context)


def card_key(product, *, first: bool, language: str | None, template: str) -> str:
    """Everything a card shows, as a cache key (from prefetched data: no query)."""
    images = tuple(
        (image.pk, image.original.name, image.display_order, image.caption)
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
    parts = (
        product.pk, product.title, product.slug, product.structure, product.is_public,
        product_class and (product_class.pk, product_class.track_stock), images, offers,
        language, first, _digest(template),
    )  # fmt: skip
    return cache_key("card", parts)


@lru_cache(maxsize=8)
def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:16]
