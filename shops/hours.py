"""Whether a shop is open, and a French sentence saying so, from its weekly hours and closures.

Pure functions over rows already loaded (a shop's prefetched `opening_hours` and
`closing_periods`), so a list of shops costs no query per shop. Times are the town's local
wall-clock time (`timezone.localtime`, Europe/Paris): a shop opening at 9 h opens at 9 h
in winter and in summer, so daylight saving time never enters the computation.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# How far ahead to look for the next opening: a long holiday can close a shop for weeks.
LOOKAHEAD_DAYS = 62


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool
    summary: str


@dataclass(frozen=True)
class DaySchedule:
    weekday: int
    label: str
    spans: tuple[str, ...]
    is_today: bool


def format_time(value: datetime.time) -> str:
    """In the visitor's language: "9 h", "12 h 30" in French, "9:00 a.m." in English."""
    if not translation.get_language().startswith("fr"):
        return formats.time_format(value)
    if value.minute:
        return f"{value.hour} h {value.minute:02d}"
    return f"{value.hour} h"


def local_now(when: datetime.datetime | None = None) -> datetime.datetime:
    """`when` (now by default) in the town's time, to the second."""
    return timezone.localtime(when or timezone.now()).replace(microsecond=0)


def closure_on(closures: Iterable, day: datetime.date):
    """The closing period covering `day`, if any."""
    return next((c for c in closures if c.starts_on <= day <= c.ends_on), None)


def spans_on(hours: Iterable, weekday: int) -> list:
    return sorted((h for h in hours if h.weekday == weekday), key=lambda h: h.opens)


def opening_status(hours: Iterable, closures: Iterable, when=None) -> OpeningStatus:
    """Open or closed at `when`, and what a resident wants to know next."""
    hours, closures = list(hours), list(closures)
    now = local_now(when)
    today, moment = now.date(), now.time()
    if not hours:
        return OpeningStatus(False, _("Horaires non communiqués"))
    closure = closure_on(closures, today)
    if closure is not None:
        if closure.reason:
            summary = _("Fermé aujourd'hui (%(reason)s)") % {"reason": closure.reason}
            return OpeningStatus(False, summary)
        return OpeningStatus(False, _("Fermé aujourd'hui"))
    spans = spans_on(hours, today.weekday())
    current = next((s for s in spans if s.opens <= moment < s.closes), None)
    if current is not None:
        return OpeningStatus(True, _("Ouvert jusqu'à %(time)s") % _at(current.closes))
    later = next((s for s in spans if s.opens > moment), None)
    if later is not None:
        return OpeningStatus(False, _("Fermé · ouvre à %(time)s") % _at(later.opens))
    return OpeningStatus(False, _next_opening(hours, closures, today))


def _at(value: datetime.time) -> dict:
    return {"time": format_time(value)}


def _next_opening(hours: list, closures: list, today: datetime.date) -> str:
    for offset in range(1, LOOKAHEAD_DAYS):
        day = today + datetime.timedelta(days=offset)
        spans = spans_on(hours, day.weekday())
        if not spans or closure_on(closures, day) is not None:
            continue
        time = format_time(spans[0].opens)
        if offset == 1:
            return _("Fermé · ouvre demain à %(time)s") % {"time": time}
        if offset < 7:
            # Django's French day names are lower-case already: "mardi".
            day_name = str(WEEKDAYS[day.weekday()])
            return _("Fermé · ouvre %(day)s à %(time)s") % {"day": day_name, "time": time}
        date = formats.date_format(day, "MONTH_DAY_FORMAT")
        return _("Fermé · ouvre le %(date)s à %(time)s") % {"date": date, "time": time}
    return _("Fermé")


def week_schedule(hours: Iterable, when=None) -> list[DaySchedule]:
    """Monday to Sunday, each day's spans as text ("9 h – 12 h 30"), today marked."""
    hours = list(hours)
    today = local_now(when).weekday()
    return [
        DaySchedule(
            weekday=day,
            label=capfirst(str(WEEKDAYS[day])),
            spans=tuple(
                f"{format_time(s.opens)} – {format_time(s.closes)}" for s in spans_on(hours, day)
            ),
            is_today=day == today,
        )
        for day in range(7)
    ]


def upcoming_closures(closures: Iterable, when=None) -> list:
    """Closing periods not over yet, soonest first."""
    today = local_now(when).date()
    return sorted((c for c in closures if c.ends_on >= today), key=lambda c: c.starts_on)
