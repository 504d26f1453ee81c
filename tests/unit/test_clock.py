"""The `--clock` option itself: where it sends the session, and that it refuses nonsense."""

import datetime

import pytest

from tests.clock import PARIS, clock_destination, last_sunday

NOW = datetime.datetime(2026, 12, 7, 2, 15, tzinfo=datetime.UTC)


def test_last_sundays_are_the_nights_the_clocks_change():
    assert last_sunday(2027, 3) == datetime.date(2027, 3, 28)
    assert last_sunday(2027, 10) == datetime.date(2027, 10, 31)
    assert last_sunday(2026, 12) == datetime.date(2026, 12, 27)


def test_clock_moves_days_ahead_from_now():
    assert clock_destination("+45d", now=NOW) == NOW + datetime.timedelta(days=45)


def test_clock_goes_to_the_next_dst_night_half_an_hour_before_the_change():
    march = clock_destination("dst-march", now=NOW)
    assert march == datetime.datetime(2027, 3, 28, 1, 30, tzinfo=PARIS)
    assert march.astimezone(PARIS).utcoffset() == datetime.timedelta(hours=1)
    after = march + datetime.timedelta(hours=1)  # 03:30 in Paris: summer time
    assert after.astimezone(PARIS).hour == 3
    october = clock_destination("dst-october", now=NOW)
    assert october == datetime.datetime(2027, 10, 31, 1, 30, tzinfo=PARIS)


def test_clock_takes_an_iso_moment_with_its_offset():
    moment = clock_destination("2027-03-28T01:30+01:00", now=NOW)
    assert moment == datetime.datetime(2027, 3, 28, 0, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize("when", ["tomorrow", "45d", "2027-03-28T01:30"])
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
