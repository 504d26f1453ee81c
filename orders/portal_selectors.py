"""The portal's order figures for the town's staff (every shop's, no customer's data): how many
orders today and this week, and the week's sales. The same definitions as the console's weekly
charts, so the staff's home and the console agree on this week's figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from orders.models import ShopOrder
from orders.selectors import payment_settled_q
from orders.workflow import ABANDONED

Order = get_model("order", "Order")


@dataclass(frozen=True)
class OrderFigures:
    today: int
    week: int
    week_sales: Decimal
    week_start: datetime.date


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def order_figures(*, now: datetime.datetime | None = None) -> OrderFigures:
    """Orders placed today and since Monday (town time), paid or to pay on site, and the sales
    of this week's orders (their shop orders, without those refused or cancelled): 2 queries."""
    today = timezone.localdate(now or timezone.now())
    monday = today - datetime.timedelta(days=today.weekday())
    since_monday, since_today = _local_midnight(monday), _local_midnight(today)
    counts = Order.objects.filter(payment_settled_q(), date_placed__gte=since_monday).aggregate(
        week=Count("pk"), today=Count("pk", filter=Q(date_placed__gte=since_today))
    )
    sales = (
        ShopOrder.objects.filter(
            payment_settled_q(order_path="order__"), order__date_placed__gte=since_monday
        )
        .exclude(status__in=ABANDONED)
        .aggregate(total=Sum("total"))["total"]
    )
    return OrderFigures(
        today=counts["today"],
        week=counts["week"],
        week_sales=sales or Decimal("0.00"),
        week_start=monday,
    )
