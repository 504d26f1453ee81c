"""The `--clock` option itself: where it sends the session, and that it refuses nonsense.

No date is written here: every moment is computed from the real now, and the nights the
clocks change are checked against the time zone database."""

import datetime

import pytest

from tests.clock import PARIS, clock_destination, last_sunday

NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
HOUR = datetime.timedelta(hours=1)
YEARS = range(NOW.year, NOW.year + 4)


@pytest.mark.parametrize("year", YEARS)
def test_last_sunday_is_the_months_last_sunday(year):
    for month in range(1, 13):
        day = last_sunday(year, month)
        assert (day.year, day.month, day.weekday()) == (year, month, 6)
        assert (day + datetime.timedelta(days=7)).month != month


@pytest.mark.parametrize("year", YEARS)
def test_last_sundays_are_the_nights_the_clocks_change(year):
    def offset(day: datetime.date, hour: int) -> datetime.timedelta:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS).utcoffset()

    march, october = last_sunday(year, 3), last_sunday(year, 10)
    assert (offset(march, 1), offset(march, 4)) == (HOUR, 2 * HOUR)
    assert (offset(october, 1), offset(october, 4)) == (2 * HOUR, HOUR)
    before = march - datetime.timedelta(days=7)
    assert offset(before, 4) == HOUR  # the week before, still winter time


def test_clock_moves_days_ahead_from_now():
    assert clock_destination("+45d", now=NOW) == NOW + datetime.timedelta(days=45)


@pytest.mark.parametrize(("when", "month", "offset"), [("dst-march", 3, 1), ("dst-october", 10, 2)])
def test_clock_goes_to_the_next_dst_night_half_an_hour_before_the_change(when, month, offset):
    moment = clock_destination(when, now=NOW)
    local = moment.astimezone(PARIS)
    assert NOW < moment < NOW + datetime.timedelta(days=366)
    assert local.date() == last_sunday(local.year, month)
    assert (local.hour, local.minute, local.utcoffset()) == (1, 30, offset * HOUR)
    after = (moment + 2 * HOUR).astimezone(PARIS)  # two hours later the clocks have changed
    assert after.utcoffset() != local.utcoffset()
    # From just before it, the same night; from just after it, the next year's.
    assert clock_destination(when, now=moment - HOUR) == moment
    following = clock_destination(when, now=moment + HOUR).astimezone(PARIS)
    assert following.date() == last_sunday(local.year + 1, month)


def test_clock_takes_an_iso_moment_with_its_offset():
    plus_one = datetime.timezone(HOUR)
    local = (NOW + datetime.timedelta(days=100)).astimezone(plus_one).replace(second=0)
    written = local.isoformat(timespec="minutes")  # "YYYY-MM-DDTHH:MM+01:00"
    assert clock_destination(written, now=NOW) == local.astimezone(datetime.UTC)


@pytest.mark.parametrize(
    "when",
    [
        "tomorrow",
        "45d",
        (NOW + datetime.timedelta(days=1)).replace(tzinfo=None).isoformat(timespec="minutes"),
    ],
)
def test_clock_refuses_what_it_cannot_read(when):
    with pytest.raises(pytest.UsageError):
        clock_destination(when, now=NOW)


def test_session_clock_follows_the_option(pytestconfig):
    """Under `--clock` the process's now is the destination's, ticking from there."""
    destination = getattr(pytestconfig, "_clock_destination", None)
    now = datetime.datetime.now(datetime.UTC)
    if destination is None:
        pytest.skip("run with --clock to check the session's travel")
    assert destination <= now < destination + datetime.timedelta(hours=2)
