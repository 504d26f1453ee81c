"""The two spaces' menus: one list each, read by the base templates (`{% space_menu %}`).

An entry names a URL; the merchant's entries that concern one shop take its code. An entry
whose URL does not resolve for this user is left out rather than shown as a dead link, and
`tests/functional/test_space_menus.py` opens every entry with each role (no 403, no 404).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    # The entry's URL takes the current shop's code.
    per_shop: bool = False
    # URL names (or "namespace:" prefixes) under which the entry is the current page.
    current: tuple[str, ...] = ()


MERCHANT_MENU: tuple[Entry, ...] = (
    Entry(_("Aujourd'hui"), "space:today", per_shop=True),
    Entry(_("Commandes"), "shop-orders:list", per_shop=True, current=("shop-orders:",)),
    Entry(
        _("Produits"),
        "merchant:products",
        per_shop=True,
        current=("merchant:product", "merchant:csv-", "merchant:offer", "merchant:stock"),
    ),
    Entry(_("Horaires"), "merchant:hours", per_shop=True),
    Entry(_("Ma boutique"), "merchant:profile", per_shop=True),
    Entry(_("Équipe"), "merchant:team", per_shop=True, current=("merchant:team",)),
    Entry(_("Paiements"), "payments:index", current=("payments:",)),
    Entry(_("API et intégrations"), "merchant:api-keys", per_shop=True, current=("merchant:api-",)),
    Entry(_("Avis clients"), "review-moderation:list", current=("review-moderation:",)),
)

STAFF_MENU: tuple[Entry, ...] = (
    Entry(_("Accueil"), "space:staff-home"),
    Entry(
        _("Boutiques"),
        "moderation:queue",
        current=("moderation:queue", "moderation:shop", "moderation:identity-change"),
    ),
    Entry(_("Produits"), "moderation:products", current=("moderation:product",)),
    Entry(_("Avis clients"), "review-moderation:list", current=("review-moderation:",)),
    Entry(_("Commandes"), "shop-orders-support:list", current=("shop-orders-support:",)),
    Entry(
        _("Livraison"),
        "delivery-board:index",
        current=("delivery-board:index", "delivery-board:action", "delivery-board:round"),
    ),
    Entry(_("Livreurs"), "delivery-board:couriers", current=("delivery-board:courier",)),
    Entry(_("Chiffres du portail"), "console:index", current=("console:",)),
    Entry(_("Journal de modération"), "moderation:log"),
    Entry(_("Pages du site"), "legal:staff-pages", current=("legal:staff-",)),
    Entry(_("Recherche : synonymes"), "space:search-words"),
)
