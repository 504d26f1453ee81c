"""Past daily snapshots for the demo town, so the console's growth chart has a history.

A freshly seeded town has only today's figures; a real portal would have months of nightly
snapshots. These rows grow from about a quarter of today's products (the reference town went
from 1,000 to 4,154 in a few weeks) to today's figures, quickly at first then levelling off,
as a launch does. Deterministic, and never overwrites a day already recorded.
"""

import datetime

from django.utils import timezone
from oscar.core.loading import get_model

from shops.services import portal_snapshot_take

PortalSnapshot = get_model("partner", "PortalSnapshot")

# Each figure's share of today's value on the first day of the backfill.
_START = {"products_online": 0.24, "shops_live": 0.5, "shops_selling": 0.3}


def _share(start: float, progress: float) -> float:
    """From `start` (progress 0) to 1 (progress 1), fast first then slower."""
    return start + (1 - start) * (1 - (1 - progress) ** 2)


def snapshots_backfill(*, days: int = 90) -> int:
    """Take today's snapshot, then write the `days - 1` days before it where missing.

    Returns how many past rows were created (0 when run again).
    """
    today = portal_snapshot_take()
    first = today.day - datetime.timedelta(days=days - 1)
    known = set(PortalSnapshot.objects.filter(day__gte=first).values_list("day", flat=True))
    rows = []
    for n in range(days - 1):
        day = first + datetime.timedelta(days=n)
        if day in known:
            continue
        progress = n / max(days - 1, 1)
        figures = {
            field: round(getattr(today, field) * _share(start, progress))
            for field, start in _START.items()
        }
        rows.append(PortalSnapshot(day=day, created_at=timezone.now(), **figures))
    PortalSnapshot.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
