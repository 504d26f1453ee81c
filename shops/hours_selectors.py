"""Queries behind the merchant's hours page, each limited to one shop."""

import datetime

from django.db.models import QuerySet
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")


def shop_week_spans(*, shop: Partner) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
    """Weekday (0 = Monday) -> its spans in order; closed days are absent."""
    week: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for row in OpeningHours.objects.filter(shop=shop).order_by("weekday", "opens"):
        week.setdefault(row.weekday, []).append((row.opens, row.closes))
    return week


def shop_closures_upcoming(*, shop: Partner, today: datetime.date) -> QuerySet:
    """The shop's closures not over yet, soonest first (past ones are of no use here)."""
    return ClosingPeriod.objects.filter(shop=shop, ends_on__gte=today).order_by("starts_on")
