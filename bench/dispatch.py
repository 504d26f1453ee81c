"""How long building one delivery slot's rounds takes: 500 ready delivery shop orders from 15
shops across 10 couriers (capacity 60), through the real service (`delivery.dispatch
.rounds_build`: the query, geocoding offline, the split, each round's route, the inserts).
The target is under 2 s. Built twice: the second build replaces the planned rounds.

    .venv/bin/python bench/dispatch.py --fresh-db   # a throw-away PostgreSQL database
    DATABASE_URL=... .venv/bin/python bench/dispatch.py   # a migrated database of yours

The orders are written in bulk (not through the checkout), the way dispatch finds them at a
slot's cut-off. Everything created is removed at the end. Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from freshdb import fresh_database  # noqa: E402

STREETS = ("rue de Genève", "avenue du Grand Port", "boulevard des Côtes", "rue Davat")


def data_create(*, orders: int, shops: int, couriers: int):
    """Shops, couriers, a delivery slot and `orders` ready shop orders, in bulk."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from oscar.core.loading import get_model

    from delivery.models import Slot
    from delivery.rounds import courier_create
    from orders.models import ShopOrder, ShopOrderEvent

    Partner = get_model("partner", "Partner")
    Order = get_model("order", "Order")
    ShippingAddress = get_model("order", "ShippingAddress")
    Country = get_model("address", "Country")
    tag = f"bench{os.getpid()}"
    france, _ = Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"printable_name": "France", "name": "France"}
    )
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    slot = Slot.objects.create(
        kind="delivery", start=start, end=start + datetime.timedelta(hours=2), capacity=500
    )
    the_shops = [
        Partner.objects.create(
            name=f"{tag} boutique {n}",
            code=f"{tag}-{n}",
            status="live",
            offers_delivery=True,
            address_line=f"{n} rue de la Gare",
            postcode="73100",
            city="Aix-les-Bains",
        )  # fmt: skip
        for n in range(shops)
    ]
    User = get_user_model()
    for n in range(couriers):
        user = User.objects.create_user(f"{tag}-c{n}", f"{tag}-c{n}@example.fr", None)
        courier_create(user=user, capacity=60, working_days="0123456")
    addresses = ShippingAddress.objects.bulk_create(
        ShippingAddress(
            first_name="Camille",
            last_name=f"R{n}",
            line1=f"{n % 90 + 1} {STREETS[n % 4]}",
            line4="Aix-les-Bains",
            postcode="73100",
            country=france,
        )  # fmt: skip
        for n in range(orders)
    )
    the_orders = Order.objects.bulk_create(
        Order(
            number=f"{tag}-{n}",
            shipping_address=address,
            currency="EUR",
            total_incl_tax=Decimal("20.00"),
            total_excl_tax=Decimal("20.00"),
            status="En cours",
            guest_email=f"r{n}@example.fr",
            date_placed=timezone.now(),
        )  # fmt: skip
        for n, address in enumerate(addresses)
    )
    shop_orders = ShopOrder.objects.bulk_create(
        ShopOrder(
            order=order,
            shop=the_shops[n % shops],
            number=f"{order.number}-1",
            fulfilment="delivery",
            status="ready",
            lines_total=Decimal("20.00"),
            total=Decimal("20.00"),
            slot_start=slot.start,
            slot_end=slot.end,
        )  # fmt: skip
        for n, order in enumerate(the_orders)
    )
    ready_at = slot.start - datetime.timedelta(hours=3)
    ShopOrderEvent.objects.bulk_create(
        ShopOrderEvent(
            shop_order=so, from_status="accepted", to_status="ready", created_at=ready_at
        )
        for so in shop_orders
    )
    return tag, slot


def data_delete(tag: str, slot) -> None:
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model

    from delivery.models import Round

    Round.objects.filter(slot=slot).delete()
    get_model("order", "Order").objects.filter(number__startswith=tag).delete()
    slot.delete()
    get_model("partner", "Partner").objects.filter(code__startswith=tag).delete()
    get_user_model().objects.filter(username__startswith=tag).delete()


def run(*, orders: int, shops: int, couriers: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")
    django.setup()
    from django.db import connection

    from delivery.dispatch import cutoff_of, rounds_build

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    tag, slot = data_create(orders=orders, shops=shops, couriers=couriers)
    try:
        for label in ("build", "rebuild (planned rounds replaced)"):
            started = time.perf_counter()
            result = rounds_build(slot=slot, now=cutoff_of(slot))
            seconds = time.perf_counter() - started
            stops = sum(r.stops.count() for r in result.rounds)
            km = sum(float(r.distance_km) for r in result.rounds)
            print(
                f"  {label:<36} {seconds:6.2f} s  ({len(result.rounds)} rounds, {stops} stops, "
                f"{km:.1f} km, {len(result.unassigned)} left over)",
                flush=True,
            )
    finally:
        data_delete(tag, slot)
        connection.close()  # so that --fresh-db can drop the database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--shops", type=int, default=15)
    parser.add_argument("--couriers", type=int, default=10)
    parser.add_argument("--fresh-db", action="store_true", help="create, migrate, drop a database")
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    sizes = {"orders": args.orders, "shops": args.shops, "couriers": args.couriers}
    if not args.fresh_db:
        run(**sizes)
        return 0
    with fresh_database("digitaix_dispatchbench"):
        run(**sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
