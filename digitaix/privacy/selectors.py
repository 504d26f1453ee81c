"""Everything the portal holds about one resident, read in a fixed number of queries whatever
the number of their orders (tests/functional/test_privacy.py counts them)."""

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_model

from orders.workflow import ABANDONED, DONE

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShopOrder = get_model("order", "ShopOrder")
UserAddress = get_model("address", "UserAddress")
ProductReview = get_model("reviews", "ProductReview")


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _address(address) -> dict | None:
    if address is None:
        return None
    return {
        "nom": address.name,
        "adresse": [line for line in (address.line1, address.line2, address.line3) if line],
        "code_postal": address.postcode,
        "ville": address.line4,
        "pays": address.country_id,
        "telephone": str(address.phone_number or ""),
        "instructions": address.notes,
    }


def customer_orders(*, user: User) -> QuerySet:
    """The resident's own orders, newest first, with what the export prints."""
    return (
        Order.objects.filter(user=user)
        .select_related("shipping_address")
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.order_by("pk")),
            Prefetch(
                "shop_orders", queryset=ShopOrder.objects.select_related("shop").order_by("pk")
            ),
        )
        .order_by("-date_placed", "-pk")
    )


def customer_orders_in_progress(*, user: User) -> list[str]:
    """Numbers of the resident's orders a shop has not finished, refused or cancelled."""
    return list(
        Order.objects.filter(user=user, shop_orders__isnull=False)
        .exclude(shop_orders__status__in=[*ABANDONED, *DONE])
        .values_list("number", flat=True)
        .distinct()
    )


def customer_data(*, user: User) -> dict:
    """The resident's account, addresses, orders and reviews, as plain JSON values."""
    verification = getattr(user, "email_verification", None)
    addresses = UserAddress.objects.filter(user=user).order_by("pk")
    reviews = ProductReview.objects.filter(user=user).select_related("product").order_by("pk")
    return {
        "compte": {
            "email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "inscrit_le": _when(user.date_joined),
            "derniere_connexion": _when(user.last_login),
            "email_verifie_le": _when(verification.verified_at) if verification else None,
        },
        "adresses": [
            {**_address(a), "par_defaut_livraison": a.is_default_for_shipping} for a in addresses
        ],
        "commandes": [
            {
                "numero": order.number,
                "passee_le": _when(order.date_placed),
                "statut": order.status,
                "total": str(order.total_incl_tax),
                "devise": order.currency,
                "adresse_de_livraison": _address(order.shipping_address),
                "boutiques": [
                    {
                        "boutique": part.shop.name,
                        "numero": part.number,
                        "mode": part.get_fulfilment_display(),
                        "statut": part.get_status_display(),
                        "creneau_debut": _when(part.slot_start),
                        "creneau_fin": _when(part.slot_end),
                        "total": str(part.total),
                    }
                    for part in order.shop_orders.all()
                ],
                "articles": [
                    {
                        "produit": line.title,
                        "boutique": line.partner_name,
                        "quantite": line.quantity,
                        "prix_unitaire": str(line.unit_price_incl_tax),
                        "total": str(line.line_price_incl_tax),
                    }
                    for line in order.lines.all()
                ],
            }
            for order in customer_orders(user=user)
        ],
        "avis": [
            {
                "produit": review.product.title if review.product else "",
                "note": review.score,
                "titre": review.title,
                "texte": review.body,
                "ecrit_le": _when(review.date_created),
            }
            for review in reviews
        ],
    }
