"""What the town staff's home (/gestion/) gathers: each block read by the selectors of the app
whose data it is (shops, orders, delivery), composed here, at the top of the layers.

The page's queries do not grow with the town: each block reads a count and a few rows.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from catalog.selectors import products_on_sale
from delivery import round_selectors
from orders.portal_selectors import OrderFigures, order_figures
from shops import identity_selectors, moderation_selectors, selectors

# Rows shown in each block (the counts say how many there are in all).
SHOWN = 5


@dataclass(frozen=True)
class DeliveryDay:
    slots: list
    rounds: int
    stops_total: int
    stops_done: int
    stops_failed: int
    alerts: list
    failed: int


def delivery_day(*, now: datetime.datetime) -> DeliveryDay:
    """Today's delivery slots and their rounds' progress, the open dispatch alerts and the
    failed deliveries waiting for a decision: 4 queries."""
    slots = round_selectors.board_slots(now=now, days=1)
    rounds = [round_ for slot in slots for round_ in slot.rounds_list]
    failed = round_selectors.failed_deliveries()
    return DeliveryDay(
        slots=slots,
        rounds=len(rounds),
        stops_total=sum(r.stops_total for r in rounds),
        stops_done=sum(r.stops_done for r in rounds),
        stops_failed=sum(r.stops_failed for r in rounds),
        alerts=round_selectors.open_alerts(),
        failed=len(failed),
    )


def _identity_changes() -> tuple[int, list]:
    changes = identity_selectors.moderation_identity_changes()
    return changes.count(), list(changes[:SHOWN])


def staff_home(*, now: datetime.datetime | None = None) -> dict:
    """Every block of the staff's home: 14 queries whatever the size of the town."""
    now = now or timezone.now()
    statuses = selectors.moderation_status_counts()
    withdrawn_count, withdrawn = moderation_selectors.products_withdrawn(limit=SHOWN)
    identity_count, identity_changes = _identity_changes()
    orders: OrderFigures = order_figures(now=now)
    return {
        "pending_count": statuses["pending"],
        "pending_shops": moderation_selectors.shops_awaiting_review(limit=SHOWN),
        "identity_count": identity_count,
        "identity_changes": identity_changes,
        "withdrawn_count": withdrawn_count,
        "withdrawn": withdrawn,
        "reviews_count": selectors.reviews_to_moderate(user=None, every_shop=True).count(),
        "delivery": delivery_day(now=now),
        "figures": {
            "shops_live": statuses["live"],
            "products_online": products_on_sale().count(),  # the public counter's own
            "orders": orders,
        },
    }
