"""What search engines and link previews read of a page: schema.org JSON-LD, Open Graph and
Twitter card tags. Views put `json_ld` (a list of objects) and `og` (a dict) in the context;
`oscar/base.html` writes them in the page's head.

User text (a product's title, a shop's description) goes into JSON, never into markup: the
`json_ld` filter escapes `<`, `>` and `&` as Django's `json_script` does, so a title holding
`</script>` cannot end the block (tests/functional/test_user_text_escaped.py walks it).
"""

from decimal import Decimal
from urllib.parse import urljoin

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator

SCHEMA = "https://schema.org"


def absolute(path: str) -> str:
    """An address of the portal as the outside world reaches it (DIGITAIX_SITE_URL)."""
    return urljoin(settings.DIGITAIX_SITE_URL.rstrip("/") + "/", path.lstrip("/")) if path else ""


def plain(text: str, words: int = 60) -> str:
    """Rich or plain user text as a short plain summary."""
    return Truncator(" ".join(strip_tags(text or "").split())).words(words, truncate="…")


def breadcrumbs_ld(items: list[tuple[str, str]]) -> dict:
    """`BreadcrumbList` of (name, path) pairs, from the home page down to the current page."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute(path)}
            for n, (name, path) in enumerate(items, start=1)
        ],
    }


def product_ld(*, product, offers: list, path: str, image: str = "") -> dict:
    """`Product` with one `Offer` per shop that sells it (price, availability, seller)."""
    data = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.get_title(),
        "url": absolute(path),
        "description": plain(product.description) or product.get_title(),
        "offers": [_offer(offer, path) for offer in offers],
    }
    if product.upc and product.upc.isdigit() and len(product.upc) in (8, 12, 13, 14):
        data["gtin"] = product.upc
    if image:
        data["image"] = absolute(image)
    return data


def _offer(offer, path: str) -> dict:
    available = (offer.num_in_stock or 0) - (offer.num_allocated or 0) > 0
    return {
        "@type": "Offer",
        "price": str(Decimal(offer.price).quantize(Decimal("0.01"))),
        "priceCurrency": offer.price_currency or "EUR",
        "availability": f"{SCHEMA}/{'InStock' if available else 'OutOfStock'}",
        "url": absolute(path),
        "seller": {"@type": "LocalBusiness", "name": offer.partner.name},
    }


def open_graph(*, kind: str, title: str, description: str, path: str, image: str = "") -> dict:
    """The page's Open Graph and Twitter card values (`og` in the context)."""
    return {
        "type": kind,
        "title": title,
        "description": plain(description, words=40),
        "url": absolute(path),
        "image": absolute(image) if image else "",
        "card": "summary_large_image" if image else "summary",
    }
