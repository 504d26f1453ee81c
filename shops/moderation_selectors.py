"""What the town's staff weigh before a decision, beside the queue's queries (shops/selectors.py):
what a shop still lacks, the shops waiting for review with it, the products the town withdrew.

The staff's home lists these; the approval asks for an explicit confirmation when it would put
online a shop that lacks what makes it useful to residents (`APPROVAL_GAPS`).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shops import selectors

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
OpeningHours = get_model("partner", "OpeningHours")
ProductModerationEvent = get_model("partner", "ProductModerationEvent")
Product = get_model("catalogue", "Product")

# What a shop may lack, in the order the staff read it.
GAP_LABELS = {
    "products": _("aucun produit en ligne"),
    "hours": _("aucun horaire d'ouverture"),
    "services": _("ni retrait en boutique ni livraison"),
    "logo": _("pas de logo"),
    "siret": _("pas de SIRET"),
}
# Approving a shop lacking one of these puts online a shop residents cannot buy from.
APPROVAL_GAPS = frozenset({"products", "hours", "services"})


@dataclass(frozen=True)
class Gap:
    key: str
    label: str

    @property
    def blocks_approval(self) -> bool:
        return self.key in APPROVAL_GAPS


def with_readiness(shops: QuerySet) -> QuerySet:
    """`shops` with `has_product_online` (an offer on sale of a public product: online once
    the shop is) and `has_opening_hours`, read in the same query."""
    online = StockRecord.objects.filter(
        partner=OuterRef("pk"), is_on_sale=True, product__is_public=True, product__parent=None
    )
    return shops.annotate(
        has_product_online=Exists(online),
        has_opening_hours=Exists(OpeningHours.objects.filter(shop=OuterRef("pk"))),
    )


def shop_gaps(shop: Partner) -> list[Gap]:
    """What `shop` lacks, from a shop loaded through `with_readiness` (no query)."""
    lacks = {
        "products": not shop.has_product_online,
        "hours": not shop.has_opening_hours,
        "services": not (shop.offers_click_collect or shop.offers_delivery),
        "logo": not shop.logo,
        "siret": not (shop.siret or "").strip(),
    }
    return [Gap(key, str(label)) for key, label in GAP_LABELS.items() if lacks[key]]


def shop_gaps_now(*, shop: Partner) -> list[Gap]:
    """What `shop` lacks as it is in the database now: 1 query."""
    return shop_gaps(with_readiness(Partner.objects.filter(pk=shop.pk)).get())


def shop_approval_gaps(*, shop: Partner) -> list[Gap]:
    """What approving `shop` would put online without, as it is in the database: 1 query."""
    return [gap for gap in shop_gaps_now(shop=shop) if gap.blocks_approval]


def shops_awaiting_review(*, limit: int) -> list[Partner]:
    """The oldest `limit` pending shops of the town's queue, each with `gaps`: 1 query."""
    fields = ("pk", "name", "code", "trade", "city", "siret", "logo", "status")
    fields += ("offers_click_collect", "offers_delivery")
    shops = selectors.moderation_shops(status=Partner.Status.PENDING).prefetch_related(None)
    shops = list(with_readiness(shops.only(*fields))[:limit])
    for shop in shops:
        shop.gaps = shop_gaps(shop)
    return shops


def products_withdrawn(*, limit: int) -> tuple[int, list]:
    """How many products the town keeps off the portal, and the last `limit` withdrawn, each
    with `withdrawn_reason` (its latest withdrawal's): 2 queries."""
    withdrawn = Product.objects.filter(is_public=False, parent=None)
    latest = ProductModerationEvent.objects.filter(
        product=OuterRef("pk"), action=ProductModerationEvent.Action.WITHDRAW
    ).order_by("-created_at", "-pk")
    shown = (
        withdrawn.only("pk", "title", "date_updated")
        .annotate(
            withdrawn_reason=Subquery(latest.values("reason")[:1]),
            withdrawn_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("-date_updated", "-pk")
    )
    return withdrawn.count(), list(shown[:limit])
