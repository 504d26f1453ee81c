"""Whether a shop is open, and what its card says, from its weekly hours and closures."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, translation
from oscar.core.loading import get_model

from shops.hours import format_time, opening_status, upcoming_closures, week_schedule
from tests.clock import coming_dst_sundays, coming_monday

OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")
PARIS = ZoneInfo("Europe/Paris")
MONDAY = coming_monday()


def day_month(day: datetime.date) -> str:
    """ "9 juin": a date as the card says it (in French, see `_french`)."""
    return dateformat.format(day, "j F")


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def span(weekday: int, opens: tuple, closes: tuple) -> OpeningHours:
    return OpeningHours(weekday=weekday, opens=datetime.time(*opens), closes=datetime.time(*closes))


def bakery() -> list:
    """Tuesday to Saturday 7 h–13 h and 15 h 30–19 h 30, Sunday morning 7 h–12 h 30."""
    days = [span(d, (7,), (13,)) for d in range(1, 6)]
    days += [span(d, (15, 30), (19, 30)) for d in range(1, 6)]
    return days + [span(6, (7,), (12, 30))]


def status(when, hours=None, closures=()):
    result = opening_status(bakery() if hours is None else hours, closures, when)
    return result.is_open, result.summary


def test_times_are_written_the_french_way():
    assert format_time(datetime.time(9)) == "9 h"
    assert format_time(datetime.time(12, 30)) == "12 h 30"
    assert format_time(datetime.time(8, 5)) == "8 h 05"


def test_open_during_a_span_until_its_end():
    assert status(at(MONDAY + datetime.timedelta(days=1), 8)) == (True, "Ouvert jusqu'à 13 h")
    assert status(at(MONDAY + datetime.timedelta(days=1), 19, 29)) == (
        True,
        "Ouvert jusqu'à 19 h 30",
    )


def test_opening_time_is_open_and_closing_time_is_closed():
    tuesday = MONDAY + datetime.timedelta(days=1)
    assert status(at(tuesday, 7))[0] is True
    assert status(at(tuesday, 19, 30)) == (False, "Fermé · ouvre demain à 7 h")


def test_lunch_break_says_when_it_reopens_today():
    assert status(at(MONDAY + datetime.timedelta(days=2), 13, 45)) == (
        False,
        "Fermé · ouvre à 15 h 30",
    )


def test_before_opening_says_today():
    assert status(at(MONDAY + datetime.timedelta(days=3), 6, 15)) == (False, "Fermé · ouvre à 7 h")


def test_a_closed_day_names_the_next_opening_day():
    assert status(at(MONDAY, 10)) == (False, "Fermé · ouvre demain à 7 h")
    hours = [span(0, (9,), (18,))]
    next_week = day_month(MONDAY + datetime.timedelta(days=7))
    assert status(at(MONDAY, 18), hours) == (False, f"Fermé · ouvre le {next_week} à 9 h")
    assert status(at(MONDAY + datetime.timedelta(days=2), 10), hours) == (
        False,
        "Fermé · ouvre lundi à 9 h",
    )


def test_sunday_morning_opening_and_sunday_afternoon():
    sunday = MONDAY - datetime.timedelta(days=1)
    assert status(at(sunday, 11)) == (True, "Ouvert jusqu'à 12 h 30")
    assert status(at(sunday, 14)) == (False, "Fermé · ouvre mardi à 7 h")


def test_a_closing_period_closes_the_whole_day_and_is_skipped_when_looking_ahead():
    tuesday = MONDAY + datetime.timedelta(days=1)
    holidays = [
        ClosingPeriod(
            starts_on=tuesday, ends_on=tuesday + datetime.timedelta(days=2), reason="congés"
        )
    ]
    assert status(at(tuesday, 9), closures=holidays) == (False, "Fermé aujourd'hui (congés)")
    assert status(at(MONDAY, 9), closures=holidays) == (False, "Fermé · ouvre vendredi à 7 h")
    unexplained = [ClosingPeriod(starts_on=tuesday, ends_on=tuesday)]
    assert status(at(tuesday, 9), closures=unexplained) == (False, "Fermé aujourd'hui")


def test_a_closing_period_over_or_to_come_does_not_close_today():
    friday = MONDAY + datetime.timedelta(days=4)
    past = ClosingPeriod(
        starts_on=MONDAY - datetime.timedelta(days=20), ends_on=MONDAY - datetime.timedelta(days=10)
    )
    future = ClosingPeriod(
        starts_on=friday + datetime.timedelta(days=1), ends_on=friday + datetime.timedelta(days=9)
    )
    assert status(at(friday, 10), closures=[past, future])[0] is True
    assert upcoming_closures([future, past], at(friday, 10)) == [future]


def test_a_long_closure_names_the_date_it_reopens():
    tuesday = MONDAY + datetime.timedelta(days=1)
    summer = [ClosingPeriod(starts_on=tuesday, ends_on=tuesday + datetime.timedelta(days=20))]
    reopens = day_month(tuesday + datetime.timedelta(days=21))
    assert status(at(MONDAY, 9), closures=summer) == (False, f"Fermé · ouvre le {reopens} à 7 h")


def test_no_hours_says_so_and_is_never_open():
    assert status(at(MONDAY, 10), hours=[]) == (False, "Horaires non communiqués")


def test_local_wall_clock_time_decides_whatever_daylight_saving_time():
    # Next year's clocks change on a Sunday: 9 h 30 in Paris is 8 h 30 UTC the Friday before
    # summer time, 7 h 30 UTC the Monday after. The shop opens at 9 h both days.
    hours = [span(d, (9,), (12,)) for d in range(5)]
    march, october = coming_dst_sundays()

    def utc(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=datetime.UTC)

    friday, monday = march - datetime.timedelta(days=2), march + datetime.timedelta(days=1)
    assert status(utc(friday, 8, 30), hours)[0] is True
    assert status(utc(monday, 7, 30), hours)[0] is True
    assert status(utc(friday, 7, 30), hours)[0] is False  # 8 h 30 in Paris
    # The Monday after winter time is back: 8 h 30 UTC is 9 h 30 in Paris again.
    assert status(utc(october + datetime.timedelta(days=1), 8, 30), hours)[0] is True


def test_week_schedule_lists_every_day_with_its_spans_and_marks_today():
    week = week_schedule(bakery(), at(MONDAY + datetime.timedelta(days=2), 10))
    assert [d.label for d in week][:2] == ["Lundi", "Mardi"]
    assert week[0].spans == ()
    assert week[2].spans == ("7 h – 13 h", "15 h 30 – 19 h 30")
    assert [d.is_today for d in week].index(True) == 2
