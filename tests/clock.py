"""`pytest --clock=WHEN`: the whole session runs at another moment, to prove no test needs today.

The clock travels once, before the first test, with time-machine and keeps ticking: every
`timezone.now()`, `date.today()` and `time.time()` of the process moves, the live server's
thread included. WHEN is `+45d` (days from now), `dst-march` / `dst-october` (01:30 in Paris
on the next last Sunday of March / October, the night the clocks change) or an ISO moment
with its offset (`YYYY-MM-DDTHH:MM+01:00`). Tests that freeze their own moment still may.

What does not move: PostgreSQL's own `now()` (the code never calls it), Chromium's clock, and
the real Celery worker's subprocess; tests marked `services` are skipped when WHEN is set.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")
DST_MONTHS = {"dst-march": 3, "dst-october": 10}
# Half an hour before the change: "today" is the 23- or 25-hour day, every slot after it.
DST_TIME = datetime.time(1, 30)


def last_sunday(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = first_of_next - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - 6) % 7)


def clock_destination(when: str, *, now: datetime.datetime) -> datetime.datetime:
    """The moment `when` names, from the real `now`; in UTC, so adding to it is never wall-clock."""
    if match := re.fullmatch(r"\+(\d+)d", when):
        return now + datetime.timedelta(days=int(match[1]))
    if when in DST_MONTHS:
        local = now.astimezone(PARIS)
        for year in (local.year, local.year + 1):
            moment = datetime.datetime.combine(
                last_sunday(year, DST_MONTHS[when]), DST_TIME, tzinfo=PARIS
            )
            if moment > now:
                return moment.astimezone(datetime.UTC)
    try:
        moment = datetime.datetime.fromisoformat(when)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise pytest.UsageError(
            f"--clock={when}: expected +<days>d, dst-march, dst-october or an ISO moment "
            "with its offset (YYYY-MM-DDTHH:MM+01:00)"
        )
    return moment.astimezone(datetime.UTC)


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default="",
        metavar="WHEN",
        help="run the session at another moment: +45d, dst-march, dst-october or an ISO moment",
    )


def pytest_configure(config):
    when = config.getoption("clock")
    if not when:
        return
    import time_machine

    destination = clock_destination(when, now=datetime.datetime.now(datetime.UTC))
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    config._clock_traveller = traveller
    config._clock_destination = destination


def pytest_unconfigure(config):
    traveller = getattr(config, "_clock_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    destination = getattr(config, "_clock_destination", None)
    if destination is not None:
        return f"clock moved to {destination.astimezone(PARIS).isoformat()} (Europe/Paris)"
    return None


def pytest_collection_modifyitems(config, items):
    if not getattr(config, "_clock_destination", None):
        return
    skip = pytest.mark.skip(reason="the Celery worker's subprocess keeps the real clock")
    for item in items:
        if item.get_closest_marker("services"):
            item.add_marker(skip)


def tomorrow_at(hour: int) -> datetime.datetime:
    """Tomorrow at `hour` o'clock sharp, UTC, from the (possibly travelled) clock: a moment a
    test can freeze at the start of every rate-limit window up to an hour, and never a
    calendar date written in the test, which would one day be past."""
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    return tomorrow.replace(hour=hour, minute=0, second=0, microsecond=0)


def coming_monday() -> datetime.date:
    """Next week's Monday in the town: a plain working day that is never in the past, for
    tests that pass their own "now" on it."""
    today = datetime.datetime.now(PARIS).date()
    return today + datetime.timedelta(days=7 - today.weekday())


def coming_dst_sundays() -> tuple[datetime.date, datetime.date]:
    """Next year's two Sundays when the clocks change in Paris (March, then October)."""
    year = datetime.datetime.now(PARIS).year + 1
    return last_sunday(year, 3), last_sunday(year, 10)
