"""Which time windows a slot may cover: pure functions, no query.

Pickup windows cut a shop's opening spans into slots of `pickup_slot_minutes`, aligned on the
clock (with 30-minute slots: 9 h, 9 h 30, 10 h…, never 9 h 10), each slot lying wholly inside
one opening span, and never on a day a `ClosingPeriod` covers. Times are the town's wall-clock
time (Europe/Paris), like `shops.hours`, so a shop's 9 h is 9 h in winter and in summer.

Town-wide delivery windows come from the constants below until couriers and rounds (a later
issue) decide them: Monday to Saturday, 10 h–12 h, 14 h–16 h and 17 h–19 h, 20 orders each,
bookable until 2 hours before the window starts.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone

from shops.hours import closure_on, spans_on

# How many days ahead slots are offered (and may be booked).
SLOT_HORIZON_DAYS = 7

# Town-wide delivery: the windows of a delivery day, the days (0 is Monday), the orders each
# window takes, and how long before its start a window stops being offered.
DELIVERY_WINDOWS: tuple[tuple[datetime.time, datetime.time], ...] = (
    (datetime.time(10), datetime.time(12)),
    (datetime.time(14), datetime.time(16)),
    (datetime.time(17), datetime.time(19)),
)
DELIVERY_WEEKDAYS: frozenset[int] = frozenset(range(6))
DELIVERY_SLOT_CAPACITY = 20
DELIVERY_CUTOFF = datetime.timedelta(hours=2)


@dataclass(frozen=True)
class SlotOption:
    """A slot a customer may choose: its window and how many places it has left."""

    kind: str
    shop_id: int | None
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    booked: int = 0

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def is_full(self) -> bool:
        return self.booked >= self.capacity


Window = tuple[datetime.datetime, datetime.datetime]


def _town() -> datetime.tzinfo:
    """The town's time zone (settings.TIME_ZONE), whatever zone a request activated."""
    return timezone.get_default_timezone()


def _at(day: datetime.date, minutes: int) -> datetime.datetime:
    """`day` at `minutes` past midnight, in the town's time zone."""
    moment = datetime.time(minutes // 60, minutes % 60)
    return timezone.make_aware(datetime.datetime.combine(day, moment), _town())


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _days(earliest: datetime.datetime, until: datetime.datetime) -> Iterator[datetime.date]:
    day, last = (
        timezone.localtime(earliest, _town()).date(),
        timezone.localtime(until, _town()).date(),
    )
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def _happens_once(moment: datetime.datetime) -> bool:
    """False for a wall-clock time the town's clocks skip (2 h–3 h on the last Sunday of
    March) or go through twice (the same hour in October): its two readings differ."""
    return moment.replace(fold=0).utcoffset() == moment.replace(fold=1).utcoffset()


def _between(windows: Iterable[Window], earliest, until) -> list[Window]:
    """The windows starting in [earliest, until), none beginning or ending in the hour a
    daylight saving change skips or repeats (it would start at the same instant as another
    slot, or last an hour more than it says)."""
    return [
        (start, end)
        for start, end in windows
        if earliest <= start < until and _happens_once(start) and _happens_once(end)
    ]


def pickup_windows(
    *,
    hours: Iterable,
    closures: Iterable,
    slot_minutes: int,
    earliest: datetime.datetime,
    until: datetime.datetime,
) -> list[Window]:
    """A shop's pickup windows starting in [earliest, until), from its hours and closures."""
    hours, closures = list(hours), list(closures)
    windows = []
    for day in _days(earliest, until):
        if closure_on(closures, day) is not None:
            continue
        for span in spans_on(hours, day.weekday()):
            opens, closes = _minutes(span.opens), _minutes(span.closes)
            first = -(-opens // slot_minutes) * slot_minutes  # first clock-aligned start
            for minute in range(first, closes - slot_minutes + 1, slot_minutes):
                windows.append((_at(day, minute), _at(day, minute + slot_minutes)))
    return _between(windows, earliest, until)


def delivery_windows(*, earliest: datetime.datetime, until: datetime.datetime) -> list[Window]:
    """The town-wide delivery windows starting in [earliest, until)."""
    windows = [
        (_at(day, _minutes(opens)), _at(day, _minutes(closes)))
        for day in _days(earliest, until)
        if day.weekday() in DELIVERY_WEEKDAYS
        for opens, closes in DELIVERY_WINDOWS
    ]
    return _between(windows, earliest, until)
