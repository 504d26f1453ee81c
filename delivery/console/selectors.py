"""Every figure of the town's console, each from aggregate queries.

The number of queries never grows with the number of shops, orders or days: each function
says how many it runs, and the console's page has one budget whatever the size of the town.
Windows ("the last 30 days", "the last 12 weeks") are computed from `now`, given by the
caller so that a page and its CSV export agree, and tests can pin the clock.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower, TruncWeek
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.selectors import products_on_sale
from orders.models import ShopOrder, ShopOrderEvent
from orders.selectors import payment_settled_q
from orders.workflow import ABANDONED
from shops.selectors import moderation_status_counts, portal_counters, shop_products_online

Partner = get_model("partner", "Partner")
Order = get_model("order", "Order")
PortalSnapshot = get_model("partner", "PortalSnapshot")

#: A shop "sells" when it received a shop order within this many days.
SELLING_DAYS = 30
WEEKS = 12
SNAPSHOT_DAYS = 90
FAILED_SHOWN = 5
_MONEY = DecimalField(max_digits=14, decimal_places=2)
_ZERO = Decimal("0.00")


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def shop_orders_real() -> QuerySet:
    """Shop orders the shops actually received: paid on site, or paid by card (an abandoned
    card payment is no order), whatever became of them since."""
    return ShopOrder.objects.filter(payment_settled_q(order_path="order__"))


def _selling_q(*, since: datetime.datetime) -> Q:
    """On Partner: the shop received a real shop order since `since`."""
    recent = shop_orders_real().filter(shop=OuterRef("pk"), created_at__gte=since)
    return Q(Exists(recent))


def portal_figures(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """What a daily snapshot keeps: live shops, shops selling, products online. 3 queries.

    Named by settings.DIGITAIX_PORTAL_FIGURES, so that `shops` (which may not import
    `orders`) takes its snapshots with the same definitions as this console.
    """
    since = _now(now) - datetime.timedelta(days=SELLING_DAYS)
    counters = portal_counters()
    selling = Partner.objects.filter(_selling_q(since=since)).count()
    return {
        "shops_live": counters["shops"],
        "shops_selling": selling,
        "products_online": counters["products"],
    }


def console_headline(*, now: datetime.datetime | None = None) -> dict:
    """Shops by status, registered, live, selling, and products online: 3 queries."""
    since = _now(now) - datetime.timedelta(days=SELLING_DAYS)
    by_status = moderation_status_counts()  # "live" is the home page's shops online
    selling = Partner.objects.aggregate(
        any=Count("pk", filter=_selling_q(since=since)),
        live=Count("pk", filter=_selling_q(since=since) & Q(status=Partner.Status.LIVE)),
    )
    statuses = [
        {"value": value, "label": label, "count": by_status[value]}
        for value, label in Partner.Status.choices
    ]
    return {
        "statuses": statuses,
        "shops_registered": sum(by_status.values()),
        "shops_live": by_status[Partner.Status.LIVE],
        "shops_selling": selling["any"],
        "shops_live_selling": selling["live"],
        # The home page's counter's own selector: one definition of "online" everywhere.
        "products_online": products_on_sale().count(),
        "selling_days": SELLING_DAYS,
    }


def _weeks(now: datetime.datetime, weeks: int) -> list[datetime.date]:
    """The Mondays (town time) of the last `weeks` ISO weeks, this one last."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def console_weekly(*, now: datetime.datetime | None = None, weeks: int = WEEKS) -> list[dict]:
    """Orders placed and sales per ISO week, the last `weeks` weeks, empty weeks at 0: 2 queries.

    Orders are Oscar's (one per basket, whatever its shops); sales are the shop orders'
    totals, without those refused or cancelled, by the week their order was placed.
    """
    mondays = _weeks(_now(now), weeks)
    start = timezone.make_aware(datetime.datetime.combine(mondays[0], datetime.time.min))
    week = TruncWeek("date_placed", output_field=DateField())
    orders = dict(
        Order.objects.filter(payment_settled_q(), date_placed__gte=start)
        .annotate(week=week)
        .order_by()
        .values_list("week")
        .annotate(n=Count("pk"))
    )
    sales = dict(
        shop_orders_real()
        .filter(order__date_placed__gte=start)
        .exclude(status__in=ABANDONED)
        .annotate(week=TruncWeek("order__date_placed", output_field=DateField()))
        .order_by()
        .values_list("week")
        .annotate(total=Sum("total"))
    )
    return [
        {"week": monday, "orders": orders.get(monday, 0), "sales": sales.get(monday) or _ZERO}
        for monday in mondays
    ]


def console_snapshots(*, now: datetime.datetime | None = None, days: int = SNAPSHOT_DAYS):
    """The daily snapshots of the last `days` days, oldest first: 1 query."""
    since = timezone.localdate(_now(now)) - datetime.timedelta(days=days - 1)
    return list(
        PortalSnapshot.objects.filter(day__gte=since)
        .order_by("day")
        .values("day", "shops_live", "shops_selling", "products_online")
    )


def console_delivery(*, now: datetime.datetime | None = None, days: int = SELLING_DAYS) -> dict:
    """Home deliveries over the last `days` days: on-time rate, failures, the last failures.

    On time: the `delivered` event is no later than the end of the slot the resident chose
    (a delivery without a slot is not on time). Failures: every move to `delivery_failed`,
    so one parcel failed twice counts twice. 2 queries. The one place delivery figures are
    computed, so that rounds can feed them later without the page changing.
    """
    since = _now(now) - datetime.timedelta(days=days)
    delivered = Q(to_status=ShopOrder.Status.DELIVERED)
    failed = Q(to_status=ShopOrder.Status.DELIVERY_FAILED)
    events = ShopOrderEvent.objects.filter(created_at__gte=since).exclude(
        from_status=F("to_status")  # a payment recorded, not a move
    )
    totals = events.filter(delivered | failed).aggregate(
        delivered=Count("pk", filter=delivered),
        on_time=Count("pk", filter=delivered & Q(created_at__lte=F("shop_order__slot_end"))),
        failed=Count("pk", filter=failed),
    )
    last_failed = list(
        events.filter(failed)
        .select_related("shop_order__shop")
        .only("created_at", "reason", "shop_order__number", "shop_order__shop__name")
        .order_by("-created_at", "-pk")[:FAILED_SHOWN]
    )
    rate = totals["on_time"] / totals["delivered"] if totals["delivered"] else None
    percent = round(100 * rate) if rate is not None else None
    return {
        **totals,
        "on_time_rate": rate,
        "on_time_percent": percent,
        "last_failed": last_failed,
        "days": days,
    }


# --- The per-shop table ---------------------------------------------------------------------

#: ?sort= value -> (the annotation or field to order by, its first direction).
SORTS: dict[str, tuple[str, str]] = {
    "name": ("name_key", "asc"),
    "status": ("status", "asc"),
    "products": ("products_online", "desc"),
    "orders": ("orders_recent", "desc"),
    "sales": ("sales_recent", "desc"),
    "last_order": ("last_order_at", "desc"),
}
DEFAULT_SORT = "sales"


@dataclass(frozen=True)
class Sort:
    key: str
    direction: str

    @classmethod
    def parse(cls, *, key: str | None, direction: str | None) -> "Sort":
        """A whitelisted sort: an unknown column falls back to the default, an unknown
        direction to the column's natural one (so a bad link still shows the table)."""
        if key not in SORTS:
            key = DEFAULT_SORT
        if direction not in ("asc", "desc"):
            direction = SORTS[key][1]
        return cls(key=key, direction=direction)


def _count_of(qs: QuerySet, field: str = "pk") -> Coalesce:
    """A correlated COUNT subquery (0 when none), grouped on the shop."""
    counted = qs.order_by().values("shop").annotate(n=Count(field)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def console_shops(*, sort: Sort, now: datetime.datetime | None = None) -> QuerySet:
    """Every shop with its products online, its shop orders and sales over the last 30 days,
    and its last order, sorted: 1 query (a page: 2, with its count).

    Correlated subqueries rather than joins: joining offers and orders together would
    multiply rows, and counts and sums with them.
    """
    since = _now(now) - datetime.timedelta(days=SELLING_DAYS)
    mine = shop_orders_real().filter(shop=OuterRef("pk"))
    recent = mine.filter(created_at__gte=since)
    sales = (
        recent.exclude(status__in=ABANDONED)
        .order_by()
        .values("shop")
        .annotate(total=Sum("total"))
        .values("total")
    )
    last = mine.order_by().values("shop").annotate(at=Max("created_at")).values("at")
    qs = Partner.objects.only("pk", "name", "code", "status").annotate(
        name_key=Lower("name"),
        products_online=shop_products_online(),
        orders_recent=_count_of(recent),
        sales_recent=Coalesce(Subquery(sales), Value(_ZERO), output_field=_MONEY),
        last_order_at=Subquery(last),
    )
    field, _natural = SORTS[sort.key]
    order = (
        F(field).asc(nulls_last=True) if sort.direction == "asc" else F(field).desc(nulls_last=True)
    )
    return qs.order_by(order, "name_key", "pk")
