"""Shop orders as each reader may see them: a merchant, their own shops' (and in their space,
one shop's at a time); the town's staff, every shop's (read-only, support); a resident, their
own orders. Every query limited to a shop or a customer lives here, so what anyone may see or
act on is decided in this one place.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from oscar.core.loading import get_model

from accounts.types import User, Visitor
from orders.models import OrderPayment, ShopOrder, ShopPayout
from orders.payments.money import commission_rate, commission_split
from shops.selectors import shops_of_user

Partner = get_model("partner", "Partner")

Order = get_model("order", "Order")
Line = get_model("order", "Line")


def payment_settled_q(*, order_path: str = "") -> Q:
    """Orders a shop may see: paid at pickup (no `OrderPayment`), or paid by card. An order
    whose card payment is pending, failed or expired is not one the shop must prepare.

    `order_path` leads to the order from the queried model (`"order__"` for shop orders).
    """
    return Q(**{f"{order_path}payment__isnull": True}) | Q(
        **{f"{order_path}payment__status": OrderPayment.Status.PAID}
    )


# --- Shop orders: one shop's part of an order ------------------------------------------------


def shop_orders_of_merchant(*, user: Visitor) -> QuerySet:
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
    shop_orders = shop_orders_of_merchant(user=user).select_related(
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


# --- One shop's shop orders, in the merchant's space -----------------------------------------
# The shop is one of the user's already (shops.access.MerchantRequiredMixin): each query here
# is limited to it, so another shop's number is a 404 even for a merchant of both shops.

#: How many shop orders each group of the shop's day lists (its count says how many in all).
DAY_LIST_LIMIT = 20


def _days(first: datetime.date, count: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first instant of `first` to the first instant after `count` days, in the
    town's time: each midnight is computed on its own (a DST day lasts 23 or 25 hours)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    last = first + datetime.timedelta(days=count)
    return start, datetime.datetime.combine(last, datetime.time.min, tzinfo=tz)


def _slot_window(day: str, today: datetime.date):
    """The slots of "today", "tomorrow" or "week" (Monday to Sunday); None for any day."""
    if day == "today":
        return _days(today, 1)
    if day == "tomorrow":
        return _days(today + datetime.timedelta(days=1), 1)
    if day == "week":
        return _days(today - datetime.timedelta(days=today.weekday()), 7)
    return None


def shop_orders_of_shop(*, shop: Partner) -> QuerySet:
    """The shop's shop orders its merchants may see (`payment_settled_q`), with the customer
    and the order's card payment loaded (what a row shows and which actions it offers)."""
    return (
        ShopOrder.objects.filter(shop=shop)
        .filter(payment_settled_q(order_path="order__"))
        .select_related("order__user", "order__shipping_address", "order__payment", "shop")
    )


def _customer_or_number(query: str) -> Q:
    """Every word in the number, the customer's first or last name or e-mail."""
    matches = Q()
    for word in query.split()[:5]:
        matches &= (
            Q(number__icontains=word)
            | Q(order__shipping_address__first_name__icontains=word)
            | Q(order__shipping_address__last_name__icontains=word)
            | Q(order__user__first_name__icontains=word)
            | Q(order__user__last_name__icontains=word)
            | Q(order__user__email__icontains=word)
            | Q(order__guest_email__icontains=word)
        )
    return matches


def shop_orders_list(
    *,
    shop: Partner,
    status: str = "todo",
    fulfilment: str = "",
    day: str = "",
    query: str = "",
    today: datetime.date | None = None,
) -> QuerySet:
    """The shop's list, narrowed by its filters (each ignored when empty; `status="todo"`:
    those still to handle; `day`: the slot's day). Newest first, or by slot for a day.
    One query for a page."""
    shop_orders = _narrowed(shop_orders_of_shop(shop=shop), status, fulfilment, None, "")
    if query.strip():
        shop_orders = shop_orders.filter(_customer_or_number(query))
    window = _slot_window(day, today or timezone.localdate())
    if window is None:
        return shop_orders.order_by("-created_at", "-pk")
    return shop_orders.filter(slot_start__gte=window[0], slot_start__lt=window[1]).order_by(
        "slot_start", "number"
    )


def shop_order_get(*, shop: Partner, number: str) -> ShopOrder:
    """One of the shop's shop orders by its number; 404 for any other shop's."""
    shop_orders = shop_orders_of_shop(shop=shop).select_related(
        "order__shipping_address__country", "payout"
    )
    return get_object_or_404(shop_orders, number=number)


@dataclass(frozen=True)
class ShopDay:
    """What needs the shop now: each group's first shop orders and its count in all."""

    to_accept: list
    to_prepare: list
    waiting: list
    counts: dict

    @property
    def numbers_to_accept(self) -> list[str]:
        return [shop_order.number for shop_order in self.to_accept]

    @property
    def signature(self) -> str:
        """Changes whenever what the groups show changes (the open page then redraws)."""
        listed = [*self.to_accept, *self.to_prepare, *self.waiting]
        rows = [f"{so.number}:{so.status}:{int(so.is_paid)}" for so in listed]
        counts = [f"{name}={n}" for name, n in sorted(self.counts.items())]
        return "|".join(counts + rows)


def shop_day(
    *, shop: Partner, today: datetime.date | None = None, limit: int = DAY_LIST_LIMIT
) -> ShopDay:
    """New orders to accept (oldest first), accepted ones to prepare for a slot today or
    tomorrow (or late, or without a slot), and ready ones waiting for their customer or
    courier, by slot. At most 4 queries, whatever the number of shop orders."""
    _, after_tomorrow = _days(today or timezone.localdate(), 2)
    by_slot = (F("slot_start").asc(nulls_first=True), "created_at", "pk")
    S = ShopOrder.Status
    groups = {
        "to_accept": (Q(status=S.NEW), ("created_at", "pk")),
        "to_prepare": (
            Q(status=S.ACCEPTED) & (Q(slot_start__isnull=True) | Q(slot_start__lt=after_tomorrow)),
            by_slot,
        ),
        "waiting": (Q(status=S.READY), by_slot),
    }
    shop_orders = shop_orders_of_shop(shop=shop)
    counts = shop_orders.order_by().aggregate(
        **{name: Count("pk", filter=q) for name, (q, _) in groups.items()}
    )
    lists = {
        name: list(shop_orders.filter(q).order_by(*order)[:limit]) if counts[name] else []
        for name, (q, order) in groups.items()
    }
    return ShopDay(counts=counts, **lists)


def shop_pickups(*, shop: Partner, day: datetime.date) -> list[ShopOrder]:
    """The shop's click & collect orders with a slot on `day` (not refused or cancelled), by
    time, each with its lines as `shop_lines`: 2 queries."""
    start, end = _days(day, 1)
    shop_orders = list(
        shop_orders_of_shop(shop=shop)
        .filter(fulfilment=ShopOrder.Fulfilment.CLICK_COLLECT)
        .filter(slot_start__gte=start, slot_start__lt=end)
        .exclude(status__in=[ShopOrder.Status.REFUSED, ShopOrder.Status.CANCELLED])
        .order_by("slot_start", "number")
    )
    lines = Line.objects.filter(
        order_id__in=[so.order_id for so in shop_orders], partner_id=shop.pk
    ).order_by("pk")
    by_order = defaultdict(list)
    for line in lines if shop_orders else []:
        by_order[line.order_id].append(line)
    for shop_order in shop_orders:
        shop_order.shop_lines = by_order.get(shop_order.order_id, [])
    return shop_orders
