"""The dashboard's menu: Oscar's, plus the merchant's shop screens, the town's moderation
and its console.

Loaded by settings, so nothing here may import models. Each entry of ours says who sees it.
"""

import copy

from django.utils.translation import gettext_lazy as _
from oscar.defaults import OSCAR_DASHBOARD_NAVIGATION as OSCAR_DEFAULT


def merchant_access(user, url_name, url_args=None, url_kwargs=None) -> bool:
    from shops.access import is_merchant

    return is_merchant(user)


def moderation_access(user, url_name, url_args=None, url_kwargs=None) -> bool:
    from shops.access import is_commerce_staff

    return is_commerce_staff(user)


def merchant_only_access(user, url_name, url_args=None, url_kwargs=None) -> bool:
    """A merchant's entry that staff find under their own menu already."""
    from shops.access import is_commerce_staff, is_merchant

    return is_merchant(user) and not is_commerce_staff(user)


OUR_ENTRIES = [
    {
        "label": _("Ma boutique"),
        "icon": "fas fa-store",
        "access_fn": merchant_access,
        "children": [
            {
                "label": _("Commandes de mes boutiques"),
                "url_name": "shop-orders:index",
                "access_fn": merchant_access,
            },
            {
                "label": _("Paiements"),
                "url_name": "payments:index",
                "access_fn": merchant_access,
            },
            {
                "label": _("Avis à modérer"),
                "url_name": "review-moderation:list",
                "access_fn": merchant_only_access,
            },
        ],
    },
    {
        "label": _("Modération"),
        "icon": "fas fa-gavel",
        "access_fn": moderation_access,
        "children": [
            {
                "label": _("Boutiques à examiner"),
                "url_name": "moderation:queue",
                "access_fn": moderation_access,
            },
            {
                "label": _("Produits"),
                "url_name": "moderation:products",
                "access_fn": moderation_access,
            },
            {
                "label": _("Avis à modérer"),
                "url_name": "review-moderation:list",
                "access_fn": moderation_access,
            },
            {
                "label": _("Commandes des boutiques"),
                "url_name": "shop-orders-support:list",
                "access_fn": moderation_access,
            },
            {
                "label": _("Journal des décisions"),
                "url_name": "moderation:log",
                "access_fn": moderation_access,
            },
            {
                "label": _("Livraisons"),
                "url_name": "delivery-board:index",
                "access_fn": moderation_access,
            },
            {
                "label": _("Le portail"),
                "url_name": "console:index",
                "access_fn": moderation_access,
            },
        ],
    },
]

OSCAR_DASHBOARD_NAVIGATION = copy.copy(OSCAR_DEFAULT)
OSCAR_DASHBOARD_NAVIGATION[1:1] = OUR_ENTRIES
