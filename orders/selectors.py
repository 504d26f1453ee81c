"""Orders as a merchant sees them: only the lines of their own shops, and their share.

An order may hold lines of several shops. Oscar's order dashboard lets a partner user open
any order holding one of their lines and then shows the whole of it; every query here is
limited to the lines whose shop (`Line.partner`) is one of the user's (`Partner.users`), so
what a merchant may see or act on is decided in this one place.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from oscar.core.loading import get_model

from accounts.types import User, Visitor
from orders.models import OrderPayment, ShopOrder, ShopPayout
from orders.payments.money import commission_rate, commission_split
from shops.selectors import shops_of_user

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

_MONEY = DecimalField(max_digits=12, decimal_places=2)


def merchant_lines(*, user: Visitor) -> QuerySet:
    """Every order line sold by one of the shops `user` works for."""
    return Line.objects.filter(partner__in=shops_of_user(user).values("pk"))


def payment_settled_q(*, order_path: str = "") -> Q:
    """Orders a shop may see: paid at pickup (no `OrderPayment`), or paid by card. An order
    whose card payment is pending, failed or expired is not one the shop must prepare.

    `order_path` leads to the order from the queried model (`"order__"` for shop orders).
    """
    return Q(**{f"{order_path}payment__isnull": True}) | Q(
        **{f"{order_path}payment__status": OrderPayment.Status.PAID}
    )


def merchant_orders(*, user: Visitor) -> QuerySet:
    """The orders holding at least one line of `user`'s shops (each order once), once their
    payment allows the shop to see them (`payment_settled_q`)."""
    own = merchant_lines(user=user).filter(order=OuterRef("pk"))
    return Order.objects.filter(Exists(own)).filter(payment_settled_q())


def merchant_orders_with_share(*, user: Visitor) -> QuerySet:
    """`merchant_orders`, each with the merchant's share: `shop_total_incl_tax`,
    `shop_total_excl_tax` and `shop_num_items` (one query for the whole list)."""
    return (
        merchant_orders(user=user)
        .annotate(
            shop_total_incl_tax=_share(user, "line_price_incl_tax", _MONEY),
            shop_total_excl_tax=_share(user, "line_price_excl_tax", _MONEY),
            shop_num_items=_share(user, "quantity", IntegerField()),
        )
        .select_related("billing_address__country", "shipping_address__country", "user")
    )


def _share(user, field: str, output_field):
    """The sum of `field` over the merchant's lines of the outer order (0 without any)."""
    own = (
        merchant_lines(user=user)
        .filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum(field))
        .values("total")
    )
    zero = Decimal("0.00") if isinstance(output_field, DecimalField) else 0
    return Coalesce(Subquery(own, output_field=output_field), zero, output_field=output_field)


def merchant_order_get(*, user: Visitor, number: str) -> Order:
    """An order of `user`'s shops by its number; 404 for any other, so none is revealed."""
    qs = merchant_orders(user=user).select_related(
        "billing_address__country", "shipping_address__country", "user"
    )
    return get_object_or_404(qs.prefetch_related("status_changes"), number=number)


def merchant_order_lines(*, user: Visitor, order: Order) -> QuerySet:
    """The lines of `order` sold by `user`'s shops, with what the pages show of them."""
    return (
        merchant_lines(user=user)
        .filter(order=order)
        .select_related("product", "partner", "stockrecord")
        .order_by("pk")
    )


def merchant_order_line_get(*, user: Visitor, order: Order, line_id: int) -> Line:
    """One of the merchant's own lines of `order`; 404 for another shop's line."""
    return get_object_or_404(merchant_order_lines(user=user, order=order), pk=line_id)


def merchant_order_notes(*, user: Visitor, order: Order) -> QuerySet:
    """The notes on `order` written by people of `user`'s shops (not other shops', not
    the town's staff's)."""
    authors = shops_of_user(user).values("users")
    return order.notes.filter(user__in=authors).select_related("user").order_by("pk")


def merchant_shipping_events(*, user: Visitor, order: Order) -> list:
    """The shipping events of `order` touching the merchant's lines, each listing only
    those lines (`own_quantities`): 2 queries however many lines or events."""
    own = merchant_lines(user=user).filter(order=order)
    quantities = ShippingEventQuantity.objects.filter(line__in=own).select_related("line")
    events = (
        ShippingEvent.objects.filter(order=order, lines__in=own)
        .distinct()
        .select_related("event_type")
        .prefetch_related(Prefetch("line_quantities", quantities, to_attr="own_quantities"))
        .order_by("date_created", "pk")
    )
    return list(events)


def merchant_payment_events(*, user: Visitor, order: Order) -> list:
    """The payment events of `order` on the merchant's lines only (an event that also
    covers another shop's line, or the whole order, carries an amount that is not theirs)."""
    own = merchant_lines(user=user).filter(order=order)
    others = PaymentEventQuantity.objects.filter(event=OuterRef("pk")).exclude(line__in=own)
    events = (
        PaymentEvent.objects.filter(order=order, lines__in=own)
        .exclude(Exists(others))
        .distinct()
        .select_related("event_type")
        .prefetch_related(
            Prefetch(
                "line_quantities",
                PaymentEventQuantity.objects.select_related("line"),
                to_attr="own_quantities",
            )
        )
        .order_by("date_created", "pk")
    )
    return list(events)


def merchant_order_stats(*, user: Visitor, orders: QuerySet) -> dict:
    """Oscar's order statistics counted on the merchant's lines of `orders` only."""
    lines = merchant_lines(user=user).filter(order__in=orders.values("pk"))
    revenue = lines.aggregate(total=Sum("line_price_incl_tax"))["total"]
    return {
        "total_orders": orders.count(),
        "total_lines": lines.count(),
        "total_revenue": revenue or Decimal("0.00"),
    }


# --- Shop orders: one shop's part of an order ------------------------------------------------


def _shop_orders_of_merchant(*, user: Visitor) -> QuerySet:
    """The shop orders of the shops `user` works for, newest first (one query for a page)."""
    return (
        ShopOrder.objects.filter(shop__in=shops_of_user(user).values("pk"))
        .filter(payment_settled_q(order_path="order__"))
        .select_related("order__user", "shop")
        .order_by("-created_at", "-pk")
    )


def order_with_shop_orders(*, order: Order) -> Order:
    """`order` afresh with its shop orders (`order.shop_orders.all()`, by number), each with
    its own lines as `shop_order.shop_lines`: 3 queries however many shops or lines.

    Takes an order the caller may already see (from a customer's or merchant's selector).
    """
    lines = Line.objects.select_related("product", "stockrecord").order_by("pk")
    order = (
        Order.objects.select_related("user", "shipping_address", "billing_address")
        .prefetch_related(
            Prefetch("shop_orders", ShopOrder.objects.select_related("shop").order_by("number")),
            Prefetch("lines", lines),
        )
        .get(pk=order.pk)
    )
    by_shop = defaultdict(list)
    for line in order.lines.all():
        by_shop[line.partner_id].append(line)
    for shop_order in order.shop_orders.all():
        shop_order.shop_lines = by_shop.get(shop_order.shop_id, [])
    return order


@dataclass(frozen=True)
class ShopOrderShare:
    """What a shop order brings its shop: `gross` (its total), the town's `commission` and
    `net` (what the shop keeps), at `rate`."""

    gross: Decimal
    commission: Decimal
    net: Decimal
    rate: Decimal

    @property
    def rate_percent(self) -> Decimal:
        return self.rate * 100


def shop_order_share(*, shop_order: ShopOrder) -> ShopOrderShare:
    """The commission on a shop order, as recorded by its payout once there is one, else at
    today's rate (`DIGITAIX_COMMISSION_RATE`). Takes a shop order the caller may already see."""
    payout = ShopPayout.objects.filter(shop_order_id=shop_order.pk).first()
    return _share_of(shop_order, payout, commission_rate())


def merchant_order_shares(*, user: Visitor, order: Order) -> list[tuple[ShopOrder, ShopOrderShare]]:
    """Each shop order of `user`'s shops in `order`, with its gross / commission / net
    (one query, whatever the number of shops)."""
    rate = commission_rate()
    shop_orders = (
        _shop_orders_of_merchant(user=user).filter(order=order).select_related("payout")
    ).order_by("number")
    return [(so, _share_of(so, getattr(so, "payout", None), rate)) for so in shop_orders]


def _share_of(shop_order: ShopOrder, payout, rate) -> ShopOrderShare:
    if payout is not None:
        return ShopOrderShare(
            gross=payout.amount + payout.commission,
            commission=payout.commission,
            net=payout.amount,
            rate=rate,
        )
    split = commission_split(shop_totals={0: shop_order.total}, rate=rate)[0]
    return ShopOrderShare(
        gross=split.total, commission=split.commission, net=split.transfer, rate=rate
    )


# --- The merchant's shop-order screens and the resident's order pages ----------------------

#: The statuses a shop still has something to do about (the list's default tab).
TO_HANDLE = (
    ShopOrder.Status.NEW,
    ShopOrder.Status.ACCEPTED,
    ShopOrder.Status.READY,
    ShopOrder.Status.HANDED_TO_COURIER,
    ShopOrder.Status.DELIVERY_FAILED,
)


def shop_orders_filter(
    *,
    user: Visitor,
    status: str = "",
    fulfilment: str = "",
    shop_id: int | None = None,
    query: str = "",
) -> QuerySet:
    """The merchant's shop orders narrowed by the list's filters (each ignored when empty;
    `status="todo"` keeps those still to handle). One query for a page of the list."""
    shop_orders = _shop_orders_of_merchant(user=user).select_related("order__shipping_address")
    return _narrowed(shop_orders, status, fulfilment, shop_id, query)


def _narrowed(shop_orders: QuerySet, status, fulfilment, shop_id, query) -> QuerySet:
    if status == "todo":
        shop_orders = shop_orders.filter(status__in=TO_HANDLE)
    elif status:
        shop_orders = shop_orders.filter(status=status)
    if fulfilment:
        shop_orders = shop_orders.filter(fulfilment=fulfilment)
    if shop_id:
        shop_orders = shop_orders.filter(shop_id=shop_id)
    if query:
        shop_orders = shop_orders.filter(
            Q(number__icontains=query)
            | Q(order__guest_email__icontains=query)
            | Q(order__user__email__icontains=query)
            | Q(order__shipping_address__last_name__icontains=query)
            | Q(order__user__last_name__icontains=query)
            | Q(shop__name__icontains=query)
        )
    return shop_orders


def _every_shop_order() -> QuerySet:
    return (
        ShopOrder.objects.filter(payment_settled_q(order_path="order__"))
        .select_related("order__user", "order__shipping_address", "shop")
        .order_by("-created_at", "-pk")
    )


def support_shop_orders_filter(
    *, status: str = "", fulfilment: str = "", query: str = "", **_ignored: object
) -> QuerySet:
    """Every shop's shop orders, for the town's staff helping a resident or a merchant
    (read-only): the merchant list's filters, and the shop's name in the search."""
    return _narrowed(_every_shop_order(), status, fulfilment, None, query)


def support_shop_order_get(*, number: str) -> ShopOrder:
    """Any shop's shop order by its number (the town's staff, read-only); 404 if none."""
    shop_orders = _every_shop_order().select_related("order__shipping_address__country", "payout")
    return get_object_or_404(shop_orders, number=number)


def shop_order_get_by_number_for_merchant(*, user: Visitor, number: str) -> ShopOrder:
    """One shop order of `user`'s shops by its number; 404 for another shop's."""
    shop_orders = _shop_orders_of_merchant(user=user).select_related(
        "order__shipping_address__country", "order__user", "payout"
    )
    return get_object_or_404(shop_orders, number=number)


def shop_order_lines(*, shop_order: ShopOrder) -> QuerySet:
    """The lines of one shop order (its shop's lines of the order): takes a shop order the
    caller may already see."""
    return (
        Line.objects.filter(order_id=shop_order.order_id, partner_id=shop_order.shop_id)
        .select_related("product")
        .order_by("pk")
    )


def shop_order_events(*, shop_order: ShopOrder) -> QuerySet:
    """The audit trail of one shop order, oldest first, with who did what."""
    return shop_order.events.select_related("actor").order_by("created_at", "pk")


def customer_orders(*, user: User) -> QuerySet:
    """The orders `user` placed, newest first, each with its shop orders and their shops
    (2 queries for a page)."""
    shop_orders = ShopOrder.objects.select_related("shop").order_by("number")
    return (
        Order.objects.filter(user=user)
        .prefetch_related(Prefetch("shop_orders", shop_orders))
        .order_by("-date_placed", "-pk")
    )


def customer_order_get(*, user: Visitor, number: str) -> Order:
    """One of `user`'s orders by its number, with its shop orders and lines
    (`order_with_shop_orders`); 404 for anybody else's."""
    if not user.is_authenticated:
        raise Http404
    order = get_object_or_404(Order.objects.filter(user=user).only("pk"), number=number)
    return order_with_shop_orders(order=order)
