"""How fast the town's console (/dashboard/portail/) answers at ten times the reference town:
1,190 live shops, 41,540 products on sale, 100,000 shop orders over 180 days (a tenth of them
delivered, some failed), on a throw-away PostgreSQL database.

    .venv/bin/python bench/console.py --fresh-db      # options: --scale 10 --orders 100000

The page is requested through Django's test client as the town's staff (every query, template
and chart included), with each sort of the shops' table and the CSV export; the median of 5
requests each is printed, and the page's query count. Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from freshdb import fresh_database  # noqa: E402

BATCH = 5000


def town_create(*, shops: int, products: int, orders: int) -> None:
    """The shops, their products and offers, and the past shop orders, in bulk."""
    from django.utils import timezone
    from oscar.core.loading import get_model

    from orders.models import ShopOrder, ShopOrderEvent

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    StockRecord = get_model("partner", "StockRecord")
    Order = get_model("order", "Order")
    kind = ProductClass.objects.create(name="Banc", slug="banc", track_stock=True)
    the_shops = Partner.objects.bulk_create(
        Partner(name=f"Boutique {n}", code=f"boutique-{n}", status="live") for n in range(shops)
    )
    the_products = Product.objects.bulk_create(
        (
            Product(
                title=f"Produit {n}",
                slug=f"produit-{n}",
                upc=f"B{n:07d}",
                product_class=kind,
                structure="standalone",
                is_public=True,
            )  # fmt: skip
            for n in range(products)
        ),
        batch_size=BATCH,
    )
    StockRecord.objects.bulk_create(
        (
            StockRecord(
                product=p,
                partner=the_shops[n % shops],
                partner_sku=f"S{n}",
                price=Decimal("4.50"),
                num_in_stock=10,
            )  # fmt: skip
            for n, p in enumerate(the_products)
        ),
        batch_size=BATCH,
    )
    now = timezone.now()
    statuses = ["collected"] * 8 + ["delivered", "cancelled"]
    for start in range(0, orders, BATCH):
        chunk = range(start, min(start + BATCH, orders))
        placed = [now - datetime.timedelta(minutes=(n * 2591) % (180 * 24 * 60)) for n in chunk]
        the_orders = Order.objects.bulk_create(
            Order(
                number=f"B{n}",
                currency="EUR",
                total_incl_tax=Decimal("20.00"),
                total_excl_tax=Decimal("20.00"),
                status="Terminée",
                guest_email="r@example.fr",
                date_placed=at,
            )  # fmt: skip
            for n, at in zip(chunk, placed, strict=True)
        )
        shop_orders = ShopOrder.objects.bulk_create(
            ShopOrder(
                order=o,
                shop=the_shops[n % shops],
                number=f"B{n}-1",
                status=statuses[n % 10],
                total=Decimal("20.00"),
                lines_total=Decimal("20.00"),
                fulfilment="delivery" if statuses[n % 10] == "delivered" else "click_collect",
                slot_start=at,
                slot_end=at + datetime.timedelta(hours=2),
                created_at=at,
            )  # fmt: skip
            for n, o, at in zip(chunk, the_orders, placed, strict=True)
        )
        ShopOrderEvent.objects.bulk_create(
            ShopOrderEvent(
                shop_order=so,
                from_status="handed_to_courier",
                to_status=so.status,
                created_at=so.slot_start + datetime.timedelta(minutes=90),
            )  # fmt: skip
            for so in shop_orders
            if so.status == "delivered"
        )


def timed(client, url: str, repeat: int = 5) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx)
    return statistics.median(times), queries


def run(*, scale: int, orders: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    shops, products = 119 * scale, 4154 * scale
    print(f"database: {connection.settings_dict['NAME']}; {shops} shops, {products} products, "
          f"{orders} shop orders")  # fmt: skip
    started = time.perf_counter()
    town_create(shops=shops, products=products, orders=orders)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  data written in {time.perf_counter() - started:.0f} s", flush=True)
    staff = get_user_model().objects.create_superuser("bench", "bench@example.fr", "x")
    client = Client()
    client.force_login(staff)
    for label, url in (
        ("console, default sort", "/dashboard/portail/"),
        ("console, sorted by sales", "/dashboard/portail/?sort=sales&dir=desc"),
        ("console, sorted by name, page 10", "/dashboard/portail/?sort=name&page=10"),
        ("CSV export of the whole table", "/dashboard/portail/?format=csv"),
    ):
        seconds, queries = timed(client, url)
        print(f"  {label:<36} {seconds:6.3f} s  ({queries} queries)", flush=True)
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10, help="times the reference town")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--fresh-db", action="store_true", help="create, migrate, drop a database")
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # Static files are not collected here: plain storage, production settings otherwise.
    os.environ["DJANGO_STATICFILES_STORAGE"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    if not args.fresh_db:
        print("refusing to write 100,000 orders into your database: use --fresh-db")
        return 2
    with fresh_database("digitaix_consolebench"):
        run(scale=args.scale, orders=args.orders)
    return 0


if __name__ == "__main__":
    sys.exit(main())
