"""The demo shops' weekly opening hours and a few exceptional closures.

Drawn from `random.Random("<seed>:horaires:<key>")` and `"<seed>:fermetures:<key>"`
(the shop's key, `boutique-007`) and the shop's trade only, so a shop's week never depends
on the size of the town. Every draw is made whatever the outcome, so adding a rule later
cannot shift the others. A shop's description names its open days from the same week
(`days_open_phrase`), so the two always agree.

Closure dates are the one thing the seed does not fix: each falls in this year or the next,
whichever keeps it from being over (the drawn week of August, a public holiday) as seen
from `timezone.localdate()` on the day of the seed, so that the demo always shows
closures to come. Which shops close, which week of August and which holidays are fixed
by the seed; a seed run in another year gives the same closures, a year later.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random

from django.utils import timezone
from oscar.core.loading import get_model

from shops.demo.trades import Trade

OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")

Span = tuple[time, time]
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONDAY, WEDNESDAY, SUNDAY = 0, 2, 6
TUESDAY_TO_SATURDAY = (1, 2, 3, 4, 5)
SUMMER_CLOSING_RATE = 0.10
# (month, day, reason, share of shops that announce they will be closed that day)
HOLIDAYS = (
    (5, 1, "Fête du Travail", 0.10),
    (8, 15, "Assomption", 0.10),
    (12, 25, "Noël", 0.25),
)


def _t(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _span(text: str) -> Span:
    opens, closes = text.split("-")
    return _t(opens), _t(closes)


@dataclass(frozen=True)
class WeekStyle:
    """How a trade opens: Tuesday to Saturday with a lunch break, plus its own habits."""

    morning: str = "9:30-12:30"
    afternoon: str = "14:00-19:00"
    continuous: str = "10:00-19:00"  # no lunch break
    continuous_rate: float = 0.10
    monday_rate: float = 0.25  # share of shops also open on Monday afternoon
    sunday: str = "9:30-12:30"  # Sunday morning
    sunday_rate: float = 0.0
    wednesday_off_rate: float = 0.0  # closed on Wednesday, open all Monday instead


STYLES: dict[str, WeekStyle] = {
    Trade.BOULANGERIE: WeekStyle(
        "7:00-13:00", "15:30-19:30", continuous_rate=0.0, monday_rate=0.0,
        sunday="7:00-13:00", sunday_rate=0.9, wednesday_off_rate=0.3,
    ),
    Trade.BOUCHERIE: WeekStyle(
        "8:00-12:30", "15:00-19:00", continuous_rate=0.0, monday_rate=0.0,
        sunday="8:00-12:30", sunday_rate=0.5,
    ),
    Trade.FROMAGERIE: WeekStyle(
        "8:30-12:30", "15:00-19:00", continuous_rate=0.0, monday_rate=0.1,
        sunday="9:00-12:30", sunday_rate=0.4,
    ),
    Trade.PRIMEUR: WeekStyle(
        "8:00-12:30", "15:00-19:00", continuous="8:00-19:00", monday_rate=0.2,
        sunday="8:00-12:30", sunday_rate=0.5,
    ),
    Trade.EPICERIE: WeekStyle(continuous_rate=0.2, sunday="10:00-12:30", sunday_rate=0.2),
    Trade.CAVISTE: WeekStyle(
        afternoon="15:00-19:30", monday_rate=0.3, sunday="10:00-12:30", sunday_rate=0.3
    ),
    Trade.LIBRAIRIE: WeekStyle(continuous_rate=0.3, monday_rate=0.4),
    Trade.FLEURISTE: WeekStyle(
        "9:00-12:30", "14:30-19:00", continuous_rate=0.0, monday_rate=0.2,
        sunday="9:00-13:00", sunday_rate=0.7,
    ),
    Trade.PRET_A_PORTER: WeekStyle("10:00-12:30", continuous_rate=0.25, monday_rate=0.3),
    Trade.QUINCAILLERIE: WeekStyle(
        "8:30-12:00", "14:00-18:30", continuous="8:30-18:30", monday_rate=0.5
    ),
}  # fmt: skip
DEFAULT_STYLE = WeekStyle()


def week(*, trade: str, rng: Random) -> list[tuple[int, time, time]]:
    """(weekday, opens, closes) spans of one shop's week, weekday 0 being Monday."""
    style = STYLES.get(trade, DEFAULT_STYLE)
    continuous, monday = rng.random() < style.continuous_rate, rng.random() < style.monday_rate
    sunday, wednesday_off = (
        rng.random() < style.sunday_rate,
        rng.random() < style.wednesday_off_rate,
    )
    late = rng.random() < 0.2  # opens half an hour after its trade's usual time
    day = (
        [_span(style.continuous)] if continuous else [_span(style.morning), _span(style.afternoon)]
    )
    if late:
        opens = datetime.combine(date.min, day[0][0]) + timedelta(minutes=30)
        day[0] = (opens.time(), day[0][1])
    days = [d for d in TUESDAY_TO_SATURDAY if not (wednesday_off and d == WEDNESDAY)]
    if wednesday_off:
        days.append(MONDAY)
    spans = [(weekday, *span) for weekday in days for span in day]
    if monday and not wednesday_off:
        spans.append((MONDAY, max(day[-1][0], _t("14:00")), day[-1][1]))
    if sunday:
        spans.append((SUNDAY, *_span(style.sunday)))
    return sorted(spans)


def days_open_phrase(weekdays: Iterable[int]) -> str:
    """The days of the week a shop opens, as its description says them: "du mardi au
    samedi", "du lundi au samedi, sauf le mercredi", "le mardi, du jeudi au samedi et le
    dimanche", "tous les jours". Weekday 0 is Monday."""
    days = sorted(set(weekdays))
    if len(days) == len(DAY_NAMES):
        return "tous les jours"
    if not days:
        return "sur rendez-vous"
    first, last = days[0], days[-1]
    missing = [day for day in range(first, last + 1) if day not in days]
    if len(missing) == 1 and len(days) > 2:
        return f"du {DAY_NAMES[first]} au {DAY_NAMES[last]}, sauf le {DAY_NAMES[missing[0]]}"
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [
        f"du {DAY_NAMES[run[0]]} au {DAY_NAMES[run[-1]]}"
        if len(run) > 1
        else f"le {DAY_NAMES[run[0]]}"
        for run in runs
    ]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"


def closures(*, rng: Random, today: date) -> list[tuple[date, date, str]]:
    """(first day, last day, reason) of a shop's closures to come: a week of August for a
    few, some public holidays for others."""
    summer, week_of_august = rng.random() < SUMMER_CLOSING_RATE, rng.randint(0, 3)
    periods = []
    if summer:
        starts = _august_week(today.year, week_of_august)
        if starts + timedelta(days=6) < today:
            starts = _august_week(today.year + 1, week_of_august)
        periods.append((starts, starts + timedelta(days=6), "Congés d'été"))
    for month, day, reason, rate in HOLIDAYS:
        if rng.random() < rate:
            year = today.year if today <= date(today.year, month, day) else today.year + 1
            periods.append((date(year, month, day), date(year, month, day), reason))
    return sorted(periods)


def _august_week(year: int, number: int) -> date:
    """The Monday starting the `number`th week (from 0) that begins in August."""
    first = date(year, 8, 1)
    return first + timedelta(days=-first.weekday() % 7, weeks=number)


def calendar_seed(
    *,
    shops: list,
    new: set[int],
    seed: int,
    weeks: dict[str, tuple[tuple[int, time, time], ...]],
    keys: dict[str, str],
) -> tuple[int, int]:
    """Give their week (`weeks`, by shop code) to the shops that have no hours, and their
    closures, drawn from "<seed>:fermetures:<key>" (`keys`, by code), to the shops created
    by this run (`new` ids): most shops have no closure, so "none yet" cannot tell a shop
    already drawn from a missing one, and another seed must add nothing.

    Returns how many opening-hours and closing-period rows were created.
    """
    with_hours = set(OpeningHours.objects.filter(shop__in=shops).values_list("shop_id", flat=True))
    today = timezone.localdate()
    hours, periods = [], []
    for shop in shops:
        if shop.pk not in with_hours:
            hours += [
                OpeningHours(shop=shop, weekday=d, opens=o, closes=c)
                for d, o, c in weeks[shop.code]
            ]
        if shop.pk in new:
            rng = Random(f"{seed}:fermetures:{keys[shop.code]}")
            dates = closures(rng=rng, today=today)
            periods += [
                ClosingPeriod(shop=shop, starts_on=s, ends_on=e, reason=r) for s, e, r in dates
            ]
    OpeningHours.objects.bulk_create(hours, batch_size=500)
    ClosingPeriod.objects.bulk_create(periods, batch_size=500)
    return len(hours), len(periods)
