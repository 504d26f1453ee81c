"""A shop's weekly hours and its exceptional closures, as the merchant's hours page sets them.

The week is saved whole (every day closed, or one or two spans), all or nothing, so the
storefront never shows half a week; closures are added and removed one by one. Times are the
town's wall-clock times (shops/hours.py reads them so), a span never crosses midnight.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")

Span = tuple[datetime.time, datetime.time]
# A closure longer than this is a shop closing, not a holiday: the town's business.
CLOSURE_MAX_DAYS = 366


def hours_overlaps(spans: list[tuple[int, datetime.time, datetime.time]]) -> list[tuple]:
    """Pairs of spans of one same day that overlap: each span is (day, opens, closes).

    Spans that only touch (closes at 12 h, opens at 12 h) do not overlap.
    """
    by_day = defaultdict(list)
    for span in spans:
        by_day[span[0]].append(span)
    clashes = []
    for day_spans in by_day.values():
        day_spans.sort(key=lambda s: (s[1], s[2]))
        latest = day_spans[0]  # the span closing last among those seen
        for current in day_spans[1:]:
            if current[1] < latest[2]:
                clashes.append((latest, current))
            if current[2] > latest[2]:
                latest = current
    return clashes


def _week_checked(week: dict[int, list[Span]]) -> list[tuple[int, datetime.time, datetime.time]]:
    """The week as (day, opens, closes) rows, or ValidationError (the form said it first)."""
    if set(week) - set(range(7)):
        raise ValidationError(_("Jour inconnu."), code="weekday")
    spans = [(day, opens, closes) for day, day_spans in week.items() for opens, closes in day_spans]
    if any(opens >= closes for _day, opens, closes in spans):
        raise ValidationError(_("Une plage horaire ferme avant d'ouvrir."), code="hours_order")
    if hours_overlaps(spans):
        raise ValidationError(_("Des plages horaires se chevauchent."), code="hours_overlap")
    return sorted(spans)


@transaction.atomic
def shop_week_hours_set(*, shop: Partner, week: dict[int, list[Span]]) -> list[OpeningHours]:
    """Replace the shop's weekly hours: `week` maps a weekday (0 = Monday) to its spans; a day
    left out or with no span is closed. Nothing changes when a span is out of order."""
    spans = _week_checked(week)
    shop = Partner.objects.select_for_update().get(pk=shop.pk)
    OpeningHours.objects.filter(shop=shop).delete()
    return OpeningHours.objects.bulk_create(
        OpeningHours(shop=shop, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in spans
    )


def shop_closure_add(
    *,
    shop: Partner,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str = "",
    today: datetime.date,
) -> ClosingPeriod:
    """A new exceptional closure (holidays, inventory…), not over yet and in order."""
    if ends_on < starts_on:
        raise ValidationError(
            _("La fermeture ne peut pas finir avant de commencer."), code="closure_order"
        )
    if ends_on < today:
        raise ValidationError(_("Cette fermeture est déjà passée."), code="closure_past")
    if (ends_on - starts_on).days >= CLOSURE_MAX_DAYS:
        raise ValidationError(
            _("Une fermeture dure un an au plus : pour fermer la boutique, écrivez à la mairie."),
            code="closure_length",
        )
    return ClosingPeriod.objects.create(
        shop=shop, starts_on=starts_on, ends_on=ends_on, reason=" ".join(reason.split())
    )


def shop_closure_remove(*, shop: Partner, closure_id: int) -> None:
    """Remove one of the shop's closures; another shop's closure raises DoesNotExist."""
    ClosingPeriod.objects.get(shop=shop, pk=closure_id).delete()
