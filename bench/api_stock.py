"""The API's bulk stock update at its limit: 5,000 lines into a shop with 5,000 offers, through
the whole stack (Django's test client: the key, JSON parsing, every line checked, the stock
editor's service, the answer), then the same request retried under its Idempotency-Key, and
`GET /api/v1/offers/` pages of 100 (one client, in a row: the latency of a page, not a load).

Then the same list under load on a real server: gunicorn (2 sync workers, DEBUG off) on a free
port of 127.0.0.1, `GET /api/v1/offers/?page_size=100` with the shop's key from 8 keep-alive
clients at once (bench/load.py's client), the per-key throttle raised (DIGITAIX_API_RATE) so
that it never answers 429.

    .venv/bin/python bench/api_stock.py --fresh-db   # a throw-away PostgreSQL database
    # options: --rows 5000 --workers 2 --concurrency 8 --requests 500 (--requests 0: no load)

Targets (issue 14): 5,000 lines < 5 s; the offers list p95 <= 50 ms. Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.csv_import import PG, fresh_database, generate  # noqa: E402

OFFERS_PAGE = "/api/v1/offers/?page_size=100"


@contextlib.contextmanager
def gunicorn_serve(workers: int) -> Iterator[str]:
    """gunicorn (sync workers, DEBUG off, as bench/run.sh starts it) on a free loopback port,
    on this process's DATABASE_URL; its base URL once /healthz answers. Stopped (by its pid)
    and its temp folder removed at the end, also on failure."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="digitaix-apibench.") as tmp:
        (Path(tmp) / "static").mkdir()
        env = {
            **os.environ,
            # Only what the figures depend on, whatever a developer's .env says.
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-only-not-a-secret",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_STATIC_ROOT": f"{tmp}/static",
            "DJANGO_MEDIA_ROOT": f"{tmp}/media",
            "DJANGO_LOG_LEVEL": "WARNING",
            "CACHE_URL": "locmemcache://digitaix-bench",
            "CELERY_BROKER_URL": "",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            # The per-key throttle (600/min by default) would answer 429 within a second.
            "DIGITAIX_API_RATE": "1000000/min",
        }
        log_path = Path(tmp) / "gunicorn.log"
        with open(log_path, "wb") as log:
            server = subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "digitaix.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(workers), "--no-control-socket", "--timeout", "60",
                 "--log-level", "warning"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            for _ in range(60):
                if server.poll() is not None:
                    raise RuntimeError("gunicorn exited")
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                    break
                time.sleep(0.5)
            else:
                raise RuntimeError(f"{base}/healthz did not answer within 30 s")
            yield base
        except BaseException:
            print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            server.terminate()  # this pid only: gunicorn's arbiter stops its workers
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def offers_load(secret: str, args: argparse.Namespace) -> None:
    """`GET OFFERS_PAGE` with the key on gunicorn: `args.concurrency` clients at once, and one
    client alone first (200 requests, no queue: what one request costs the server)."""
    headers = {"Authorization": f"Api-Key {secret}", "Accept": "application/json"}
    with gunicorn_serve(args.workers) as base:
        request = urllib.request.Request(base + OFFERS_PAGE, headers=headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            page = json.load(response)
        print(
            f"  GET {OFFERS_PAGE} on gunicorn ({args.workers} sync workers, DEBUG off):"
            f" {len(page['results'])} offers per page",
            flush=True,
        )
        host, port = load._loopback_only(base)
        for concurrency in sorted({1, args.concurrency}):
            load_args = load.parse_args([
                "--base", base, "--page", f"offers={OFFERS_PAGE}",
                "--concurrency", str(concurrency),
                "--requests", str(args.requests if concurrency > 1 else min(args.requests, 200)),
            ])  # fmt: skip
            r = load.measure(
                "offers", OFFERS_PAGE, host=host, port=port, args=load_args, headers=headers
            )
            print(
                f"    c={concurrency:<2} {r.requests} requests in {r.seconds:.1f} s"
                f" ({r.errors} errors): {r.req_per_s:6.1f} req/s, p50 {r.median_ms:5.1f} ms,"
                f" p95 {r.p95_ms:5.1f} ms, max {r.max_ms:5.1f} ms ({r.bytes_per_page} bytes)",
                flush=True,
            )


def run(args: argparse.Namespace) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oscar.core.loading import get_model

    from shops.catalogue_io import catalogue_csv_import

    rows = args.rows
    Partner = get_model("partner", "Partner")
    ShopApiKey = get_model("partner", "ShopApiKey")
    Category = get_model("catalogue", "Category")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, {rows} lines")
    if not Category.objects.filter(name="Épicerie").exists():
        Category.add_root(name="Épicerie")
    shop = Partner.objects.create(name=f"Banc d'essai API {os.getpid()}", status="live")
    upload = SimpleUploadedFile("bench.csv", generate(rows), content_type="text/csv")
    assert catalogue_csv_import(shop=shop, user=None, upload=upload).status == "applied"
    if connection.vendor == "postgresql":  # what autovacuum does within a minute in production:
        with connection.cursor() as cursor:  # without statistics the planner sorts every offer
            cursor.execute("ANALYZE")
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
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/offers/")
    print(f"  GET /api/v1/offers/ (100 per page)  median {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms, {len(queries)} queries")  # fmt: skip
    if args.requests:
        offers_load(secret, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's, for the load")
    parser.add_argument("--concurrency", type=int, default=8, help="clients of the load")
    parser.add_argument("--requests", type=int, default=500, help="of the load (0: none)")
    parser.add_argument("--fresh-db", action="store_true", help="a throw-away PostgreSQL db")
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    if not args.fresh_db:
        run(args)
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
        options = {k: getattr(args, k) for k in ("rows", "workers", "concurrency", "requests")}
        subprocess.run(
            [sys.executable, __file__, *(f"--{k}={v}" for k, v in options.items())], check=True
        )
    finally:
        args_pg = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
        subprocess.run(["dropdb", *args_pg, "--if-exists", "--force", name], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
