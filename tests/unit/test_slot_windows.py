"""Which windows a pickup or delivery slot may cover: pure computation, no database."""

import datetime
from zoneinfo import ZoneInfo

from oscar.core.loading import get_model

from delivery.windows import delivery_windows, pickup_windows
from tests.clock import coming_dst_sundays, coming_monday

OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")
PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
MONDAY = coming_monday()
DAY = datetime.timedelta(days=1)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def span(weekday: int, opens: tuple, closes: tuple) -> OpeningHours:
    return OpeningHours(weekday=weekday, opens=datetime.time(*opens), closes=datetime.time(*closes))


def local_starts(windows) -> list[str]:
    return [f"{w[0].astimezone(PARIS):%a %H:%M}" for w in windows]


def test_pickup_windows_are_clock_aligned_and_fit_inside_the_span():
    windows = pickup_windows(
        hours=[span(0, (9, 15), (10, 50))],
        closures=[],
        slot_minutes=20,
        earliest=at(MONDAY, 0),
        until=at(MONDAY, 23),
    )
    assert local_starts(windows) == ["Mon 09:20", "Mon 09:40", "Mon 10:00", "Mon 10:20"]
    assert windows[-1][1] == at(MONDAY, 10, 40)


def test_pickup_windows_skip_the_lunch_break_and_closed_days():
    hours = [span(0, (9,), (10,)), span(0, (14,), (15,)), span(2, (9,), (10,))]
    closures = [ClosingPeriod(starts_on=MONDAY, ends_on=MONDAY)]
    windows = pickup_windows(
        hours=hours,
        closures=closures,
        slot_minutes=30,
        earliest=at(MONDAY, 0),
        until=at(MONDAY + datetime.timedelta(days=7), 0),
    )
    assert local_starts(windows) == ["Wed 09:00", "Wed 09:30"]


def test_pickup_windows_keep_wall_clock_hours_across_daylight_saving_change():
    sunday_of_change = coming_dst_sundays()[1]
    windows = pickup_windows(
        hours=[span(5, (9,), (10,)), span(0, (9,), (10,))],
        closures=[],
        slot_minutes=60,
        earliest=at(sunday_of_change - datetime.timedelta(days=1), 0),
        until=at(sunday_of_change + datetime.timedelta(days=2), 0),
    )
    assert [w[0].astimezone(UTC).hour for w in windows] == [7, 8]  # summer, then winter time
    assert local_starts(windows) == ["Sat 09:00", "Mon 09:00"]


def test_delivery_windows_are_the_town_windows_monday_to_saturday():
    saturday = MONDAY + datetime.timedelta(days=5)
    windows = delivery_windows(earliest=at(saturday, 12), until=at(saturday, 12) + 2 * DAY)
    assert local_starts(windows) == ["Sat 14:00", "Sat 17:00", "Mon 10:00"]
    assert windows[0][1] == at(saturday, 16)


def test_no_window_begins_or_ends_in_the_hour_the_clocks_skip_or_repeat():
    """A shop open through the night of a change: its 2 h–3 h does not exist (March) or
    happens twice (October); no slot may start twice at one instant or last 90 minutes."""
    for sunday_of_change in coming_dst_sundays():
        windows = pickup_windows(
            hours=[span(6, (0,), (5,))],
            closures=[],
            slot_minutes=30,
            earliest=at(sunday_of_change, 0),
            until=at(sunday_of_change, 6),
        )
        starts = [start.astimezone(UTC) for start, _end in windows]
        assert len(set(starts)) == len(starts), sunday_of_change
        for start, end in windows:
            assert end.astimezone(UTC) - start.astimezone(UTC) == datetime.timedelta(minutes=30)
        assert local_starts(windows) == [
            *("Sun 00:00", "Sun 00:30", "Sun 01:00"),
            *("Sun 03:00", "Sun 03:30", "Sun 04:00", "Sun 04:30"),
        ], sunday_of_change
