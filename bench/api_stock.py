"""The API's bulk stock update at its limit: 5,000 lines into a shop with 5,000 offers, through
the whole stack (Django's test client: the key, JSON parsing, every line checked, the stock
editor's service, the answer), then the same request retried under its Idempotency-Key, and
`GET /api/v1/offers/` pages of 100 (one client, in a row: the latency of a page, not a load).

    .venv/bin/python bench/api_stock.py --fresh-db   # a throw-away PostgreSQL database

Targets (issue 14): 5,000 lines < 5 s; the offers list p95 <= 50 ms. Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.csv_import import PG, fresh_database, generate  # noqa: E402


def run(rows: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from oscar.core.loading import get_model

    from shops.catalogue_io import catalogue_csv_import

    Partner = get_model("partner", "Partner")
    ShopApiKey = get_model("partner", "ShopApiKey")
    Category = get_model("catalogue", "Category")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, {rows} lines")
    if not Category.objects.filter(name="Épicerie").exists():
        Category.add_root(name="Épicerie")
    shop = Partner.objects.create(name=f"Banc d'essai API {os.getpid()}", status="live")
    upload = SimpleUploadedFile("bench.csv", generate(rows), content_type="text/csv")
    assert catalogue_csv_import(shop=shop, user=None, upload=upload).status == "applied"
    secret = ShopApiKey.objects.create_key(shop=shop, name="Banc", scope="write")[1]
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {secret}", HTTP_HOST="localhost")
    lines = [
        {"sku": f"BENCH-{i:05d}", "num_in_stock": (i * 7) % 60, "price": f"{2 + i % 90}.50"}
        for i in range(rows)
    ]
    body = json.dumps({"lines": lines})
    for label, key in (("5,000 lines", "bench-1"), ("the same, retried (same key)", "bench-1")):
        started = time.perf_counter()
        response = client.post(
            "/api/v1/stock/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
        )
        seconds = time.perf_counter() - started
        assert response.status_code == 200, response.content[:500]
        print(f"  POST /api/v1/stock/, {label:<30} {seconds:6.2f} s  {response.json()}")
    timings = []
    for _ in range(100):
        started = time.perf_counter()
        assert client.get("/api/v1/offers/").status_code == 200
        timings.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"  GET /api/v1/offers/ (100 per page)  median {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--fresh-db", action="store_true", help="a throw-away PostgreSQL db")
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    if not args.fresh_db:
        run(args.rows)
        return 0
    name = fresh_database()
    try:
        os.environ["DATABASE_URL"] = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{name}"
        print(f"migrating {name}…", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            check=True,
        )
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows)], check=True)
    finally:
        args_pg = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
        subprocess.run(["dropdb", *args_pg, "--if-exists", "--force", name], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
