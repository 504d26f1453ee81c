"""Write operations on the per-shop part of orders: split an order by shop, move a shop order
along its workflow (`orders.workflow`), record its payment.

The overall Oscar `Order.status` is never set by hand: it is recomputed here, under the order's
row lock, each time one of its shop orders changes.
"""

import datetime
import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from orders import workflow
from orders.models import ShopOrder, ShopOrderEvent
from orders.outbox import shop_order_status_notification_add
from orders.signals import shop_order_status_changed
from shops.services.woocommerce import woo_stock_pushes_add

if TYPE_CHECKING:
    from oscar.apps.basket.models import Basket

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
Line = get_model("order", "Line")
OrderStatusChange = get_model("order", "OrderStatusChange")
Partner = get_model("partner", "Partner")

logger = logging.getLogger(__name__)

Status = ShopOrder.Status
Fulfilment = ShopOrder.Fulfilment
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ShopFulfilment:
    """How one shop hands its part of an order over, as chosen at checkout."""

    fulfilment: str = Fulfilment.CLICK_COLLECT
    shipping: Decimal = ZERO
    slot_start: datetime.datetime | None = None
    slot_end: datetime.datetime | None = None


DEFAULT_FULFILMENT = ShopFulfilment()


@transaction.atomic
def shop_orders_create(
    *, order: Order, fulfilments: Mapping[int, ShopFulfilment] | None = None
) -> list[ShopOrder]:
    """Split `order` into one shop order per shop of its lines (`Line.partner`).

    `fulfilments` maps a shop id to its `ShopFulfilment`; a shop left out is click & collect
    with no shipping. Safe to call twice: a shop that already has its shop order gets no
    other (the first one is kept as it is). Numbers are the order number, a dash and the
    shop's position in the order when its shops are sorted by name (`100042-1`, `100042-2`).
    """
    caller_order, order = order, Order.objects.select_for_update().get(pk=order.pk)
    fulfilments = fulfilments or {}
    totals = _lines_totals_by_shop(order)
    shops = sorted(Partner.objects.filter(pk__in=list(totals)), key=shop_sort_key)
    _check_fulfilments(shops, fulfilments)
    existing = {so.shop_id: so for so in order.shop_orders.all()}
    created = [
        _shop_order_build(order, shop, position, totals[shop.pk], fulfilments)
        for position, shop in enumerate(shops, start=1)
        if shop.pk not in existing
    ]
    for shop_order in created:
        shop_order.save(force_insert=True)
    if created:
        caller_order.status = order_status_refresh(order=order)
    return sorted([*existing.values(), *created], key=lambda so: so.number)


def shop_sort_key(shop: Partner) -> tuple[str, int]:
    """By name as a French reader sorts it: "Épicerie" between "Boulangerie" and "Fromagerie"."""
    plain = unicodedata.normalize("NFKD", shop.name).encode("ascii", "ignore").decode()
    return (plain.casefold(), shop.pk)


def _lines_totals_by_shop(order) -> dict[int, Decimal]:
    rows = order.lines.order_by().values("partner_id").annotate(total=Sum("line_price_incl_tax"))
    totals = {row["partner_id"]: row["total"] or ZERO for row in rows}
    if None in totals:
        raise ValueError(f"Order {order.number} has a line without a shop: cannot split it.")
    return totals


def _check_fulfilments(shops: list, fulfilments: Mapping[int, ShopFulfilment]) -> None:
    by_pk = {shop.pk: shop for shop in shops}
    for shop_id, choice in fulfilments.items():
        shop = by_pk.get(shop_id)
        if shop is None:
            raise ValidationError(
                _("Cette boutique n'a aucun article dans la commande."), code="shop_not_in_order"
            )
        offered = {
            Fulfilment.CLICK_COLLECT: shop.offers_click_collect,
            Fulfilment.DELIVERY: shop.offers_delivery,
        }
        if not offered.get(choice.fulfilment, False):
            raise ValidationError(
                _("%(shop)s ne propose pas ce mode de remise.") % {"shop": shop.name},
                code="fulfilment_not_offered",
            )
        if choice.shipping < ZERO:
            raise ValidationError(
                _("Les frais de livraison ne peuvent pas être négatifs."), code="negative_shipping"
            )
        _check_slot(choice)


def _check_slot(choice: ShopFulfilment) -> None:
    start, end = choice.slot_start, choice.slot_end
    if any(moment is not None and timezone.is_naive(moment) for moment in (start, end)):
        raise ValueError("Slot times must be aware datetimes.")
    if start is not None and end is not None and end <= start:
        raise ValidationError(
            _("Le créneau doit finir après son début."), code="slot_ends_before_start"
        )


def _shop_order_build(order, shop, position: int, lines_total: Decimal, fulfilments) -> ShopOrder:
    choice = fulfilments.get(shop.pk, DEFAULT_FULFILMENT)
    return ShopOrder(
        order=order,
        shop=shop,
        number=f"{order.number}-{position}",
        fulfilment=choice.fulfilment,
        lines_total=lines_total,
        shipping_total=choice.shipping,
        total=lines_total + choice.shipping,
        slot_start=choice.slot_start,
        slot_end=choice.slot_end,
    )


def basket_stock_lock(*, basket: "Basket") -> None:
    """Lock the basket's offers and check again that each one can still be sold, at placement.

    Called inside the placement's transaction, before anything is written: the offers' rows
    are locked `FOR UPDATE` in primary-key order, the same order for every checkout, so two
    baskets holding the same products in opposite orders wait for each other instead of
    deadlocking, and the stock read here cannot change until the allocation commits (no
    oversell). Raises Oscar's `UnableToPlaceOrder` naming every product that falls short.
    """
    needed: dict[int, int] = {}
    for line in basket.all_lines():
        needed[line.stockrecord_id] = needed.get(line.stockrecord_id, 0) + line.quantity
    offers = (
        StockRecord.objects.select_for_update(of=("self",))
        .filter(pk__in=[pk for pk in needed if pk is not None])
        .select_related("partner", "product__product_class", "product__parent__product_class")
        .order_by("pk")
    )
    problems = [problem for offer in offers if (problem := _offer_problem(offer, needed[offer.pk]))]
    if None in needed:
        problems.append(
            str(_("Un article de votre panier n'est plus proposé par aucune boutique."))
        )
    if problems:
        raise UnableToPlaceOrder(" ".join(problems))


def _offer_problem(offer, quantity: int) -> str:
    title = offer.product.get_title()
    if not (offer.is_on_sale and offer.partner.is_live):
        return str(_("« %(product)s » n'est plus en vente.") % {"product": title})
    if not offer.product.get_product_class().track_stock:
        return ""
    left = max((offer.num_in_stock or 0) - (offer.num_allocated or 0), 0)
    if left >= quantity:
        return ""
    if left == 0:
        return str(_("« %(product)s » n'est plus disponible.") % {"product": title})
    return str(
        _("« %(product)s » n'est plus disponible en quantité suffisante (il en reste %(left)d).")
        % {"product": title, "left": left}
    )


def shop_order_transition(
    *,
    shop_order: ShopOrder,
    to_status: str,
    by: AbstractBaseUser | None = None,
    reason: str = "",
    expected_status: str | None = None,
    via: str = "",
) -> ShopOrder:
    """Move a shop order to `to_status`, if its workflow allows it, and return it afresh.

    With `expected_status` (what the merchant's page showed), the move is refused when the
    shop order has moved since (a colleague, a courier): checked under the row lock.

    Refused with a French `ValidationError` (and nothing changed) when the move is not
    allowed or a refusal/cancellation comes without a reason. Writes the audit event,
    releases the stock of a refused or cancelled shop order, recomputes the order's status,
    and writes the resident's e-mail in the outbox (sent once the transaction commits).
    """
    reason = reason.strip()
    with transaction.atomic():
        # Lock the order first, then the shop order: two shops moving their parts of the
        # same order at once queue here, so the overall status is computed on fresh rows.
        order = Order.objects.select_for_update().get(pk=shop_order.order_id)
        locked = ShopOrder.objects.select_for_update().select_related("shop").get(pk=shop_order.pk)
        if expected_status is not None and locked.status != expected_status:
            raise ValidationError(
                _("Cette commande est passée à « %(status)s » entre-temps : rien n'a été changé.")
                % {"status": Status(locked.status).label},
                code="status_changed_meanwhile",
            )
        _check_transition(locked, to_status, reason)
        from_status = locked.status
        locked.status = to_status
        locked.status_reason = reason
        locked.save(update_fields=["status", "status_reason", "updated_at"])
        event = ShopOrderEvent.objects.create(
            shop_order=locked, from_status=from_status, to_status=to_status, actor=by,
            reason=reason, via=via[:100],
        )  # fmt: skip
        if to_status in workflow.ABANDONED:
            _stock_release(locked)
        elif to_status in workflow.DONE:
            _stock_consume(locked)
        shop_order_status_changed.send(
            sender=ShopOrder, shop_order=locked, from_status=from_status, to_status=to_status
        )
        order_status_refresh(order=order)
        shop_order_status_notification_add(event=event)
        _settle_on_commit(locked.pk, to_status)
    return locked


def _settle_on_commit(shop_order_id: int, to_status: str) -> None:
    """Card-paid shop order handed over, refused or cancelled: its money moves (transfer to
    the shop or refund) once the status change has committed."""
    if to_status in workflow.DONE | workflow.ABANDONED:
        from orders.payments.services import shop_order_settle_enqueue

        shop_order_settle_enqueue(shop_order_id=shop_order_id)


def _check_transition(shop_order: ShopOrder, to_status: str, reason: str) -> None:
    if to_status not in Status.values:
        raise ValidationError(_("Ce statut n'existe pas."), code="unknown_status")
    if not workflow.is_allowed(
        fulfilment=shop_order.fulfilment, from_status=shop_order.status, to_status=to_status
    ):
        raise ValidationError(
            _("Une commande « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": Status(shop_order.status).label, "to": Status(to_status).label},
            code="transition_not_allowed",
        )
    if to_status in workflow.REASON_REQUIRED and not reason:
        raise ValidationError(_("Indiquez le motif : le client le verra."), code="reason_required")


def _stock_consume(shop_order: ShopOrder) -> None:
    """The resident has the goods: they leave the shop's stock and its allocation (Oscar's
    consume_allocation), so that a stock feed's shelf count and Digitaix agree again."""
    lines = (
        Line.objects.filter(order_id=shop_order.order_id, partner_id=shop_order.shop_id)
        .filter(allocation_cancelled=False, num_allocated__gt=0, stockrecord__isnull=False)
        .select_related(
            "stockrecord__product__product_class",
            "stockrecord__product__parent__product_class",
        )
        .order_by("stockrecord_id")
    )
    for line in lines:
        line.consume_allocation(line.num_allocated)


def _stock_release(shop_order: ShopOrder) -> None:
    """Give back to the shop's stock what this shop order still holds allocated."""
    lines = (
        Line.objects.filter(order_id=shop_order.order_id, partner_id=shop_order.shop_id)
        .filter(allocation_cancelled=False, num_allocated__gt=0, stockrecord__isnull=False)
        .select_related(
            "stockrecord__product__product_class",
            "stockrecord__product__parent__product_class",
        )
        .order_by("stockrecord_id")  # the lock order Oscar's OrderCreator takes
    )
    moves = []
    for line in lines:
        moves.append((line.stockrecord_id, line.num_allocated, f"release:{line.pk}"))
        line.cancel_allocation(line.num_allocated)
    woo_stock_pushes_add(shop_id=shop_order.shop_id, moves=moves)


def order_status_refresh(*, order: Order) -> str:
    """Set the overall `order.status` from its shop orders (`workflow.order_status_for`).

    The caller holds the order's row lock. A change is recorded as Oscar does
    (`OrderStatusChange`, `order_status_changed` signal), except the very first status.
    """
    statuses = order.shop_orders.values_list("status", flat=True)
    new_status = workflow.order_status_for(statuses)
    old_status = order.status
    if new_status == old_status:
        return new_status
    order.status = new_status
    Order.objects.filter(pk=order.pk).update(status=new_status)
    if old_status:
        OrderStatusChange.objects.create(order=order, old_status=old_status, new_status=new_status)
        order_status_changed.send(
            sender=order, order=order, old_status=old_status, new_status=new_status
        )
    return new_status


def shop_order_mark_paid(
    *, shop_order: ShopOrder, by: AbstractBaseUser | None = None, via: str = ""
) -> ShopOrder:
    """Record that the customer paid this shop's part (at pickup, or by card later).

    Marking an already paid shop order again changes nothing (a payment notice may come
    twice). A refused or cancelled shop order cannot be marked paid. The audit trail keeps
    who recorded it, as an event whose status does not change.
    """
    with transaction.atomic():
        locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
        if locked.is_paid:
            return locked
        if locked.status in workflow.ABANDONED:
            raise ValidationError(
                _("Une commande refusée ou annulée ne peut pas être marquée payée."),
                code="abandoned_not_payable",
            )
        locked.is_paid = True
        locked.paid_at = timezone.now()
        locked.save(update_fields=["is_paid", "paid_at", "updated_at"])
        ShopOrderEvent.objects.create(
            shop_order=locked,
            from_status=locked.status,
            to_status=locked.status,
            actor=by,
            reason=str(_("Paiement enregistré")),
            via=via[:100],
        )
    return locked


def shop_order_collect_paid(
    *,
    shop_order: ShopOrder,
    by: AbstractBaseUser | None = None,
    expected_status: str | None = None,
    via: str = "",
) -> ShopOrder:
    """ "Retirée et payée": the customer takes a ready click & collect order and pays on site,
    recorded as one action. Both steps are the usual ones (`shop_order_transition` to
    `collected`, with its e-mail to the resident, then `shop_order_mark_paid`) in one
    transaction: either both are recorded or neither is.

    Refused (nothing changed) for an order paid by card online: its payment is Stripe's.
    """
    with transaction.atomic():
        if Order.objects.filter(pk=shop_order.order_id, payment__isnull=False).exists():
            raise ValidationError(
                _("Cette commande est payée en ligne : marquez-la seulement retirée."),
                code="paid_online",
            )
        collected = shop_order_transition(
            shop_order=shop_order,
            to_status=Status.COLLECTED,
            by=by,
            expected_status=expected_status,
            via=via,
        )
        return shop_order_mark_paid(shop_order=collected, by=by, via=via)


#: The merchant's actions beside the workflow's statuses: "paid" (on site), and "collected and
#: paid" in one action. Their page and the API take them through `shop_order_act`.
PAID = "paid"
COLLECTED_PAID = "collected_paid"


def shop_order_act(
    *,
    shop_order: ShopOrder,
    action: str,
    by: AbstractBaseUser | None = None,
    reason: str = "",
    expected_status: str | None = None,
    via: str = "",
) -> ShopOrder:
    """One of the merchant's actions on their shop order (checked by the caller against what
    it may do now: `orders.merchant.forms.actions_for`): a status, PAID or COLLECTED_PAID.
    `via` names what acted when no account did (the API's key)."""
    if action == PAID:
        return shop_order_mark_paid(shop_order=shop_order, by=by, via=via)
    if action == COLLECTED_PAID:
        return shop_order_collect_paid(
            shop_order=shop_order, by=by, expected_status=expected_status, via=via
        )
    return shop_order_transition(
        shop_order=shop_order,
        to_status=action,
        by=by,
        reason=reason,
        expected_status=expected_status,
        via=via,
    )
