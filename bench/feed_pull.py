"""A shop's stock feed at 5,000 rows: the file served by a local HTTP server (127.0.0.1, with
ETag and Last-Modified, answering 304 to a conditional GET when unchanged) and pulled through
the real service, `shops.services.feeds.stock_feed_pull` (fetch, parse, the offers' bulk
update, the run recorded), into a shop whose 5,000 offers were made by the CSV import.

    .venv/bin/python bench/feed_pull.py --fresh-db   # a throw-away PostgreSQL database

Pulls, each timed: (a) the first pull, every row changed; (b) the same file again (the server
answers 304: nothing read, nothing written); (c) a new file where every row changes; and, for
comparison, (d) the same file from a server that ignores conditional GET (200: every row read
and compared, none changed). Targets (issue 14): 5,000 rows < 10 s; unchanged ≈ 0 s. Figures,
not pass/fail. The loopback server needs DIGITAIX_FEEDS_ALLOW_LOOPBACK=true, which this sets.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.csv_import import generate  # noqa: E402
from bench.freshdb import fresh_database  # noqa: E402


class FeedFile:
    """What the server publishes: one file, its ETag and Last-Modified, and the answers given."""

    def __init__(self) -> None:
        self.body, self.etag, self.last_modified = b"", "", ""
        self.conditional = True
        self.answers: list[int] = []

    def publish(self, body: bytes) -> None:
        if body != self.body:
            self.etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
            self.last_modified = formatdate(time.time(), usegmt=True)
        self.body = body


def feed_server(feed: FeedFile) -> ThreadingHTTPServer:
    """A loopback HTTP server on a free port publishing `feed` at any path (in a thread)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if feed.conditional and self._unchanged():
                self.send_response(304)
                self.send_header("ETag", feed.etag)
                self.send_header("Last-Modified", feed.last_modified)
                self.send_header("Content-Length", "0")
                self.end_headers()
                feed.answers.append(304)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(feed.body)))
            if feed.conditional:
                self.send_header("ETag", feed.etag)
                self.send_header("Last-Modified", feed.last_modified)
            self.end_headers()
            self.wfile.write(feed.body)
            feed.answers.append(200)

        def _unchanged(self) -> bool:
            """RFC 9110: If-None-Match decides when sent; otherwise If-Modified-Since."""
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
                return feed.etag in tags or "*" in tags
            since = self.headers.get("If-Modified-Since")
            if since is None:
                return False
            try:
                return parsedate_to_datetime(since) >= parsedate_to_datetime(feed.last_modified)
            except (TypeError, ValueError):
                return False

        def log_message(self, format, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(rows: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")
    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from oscar.core.loading import get_model

    from shops.catalogue_io import catalogue_csv_import
    from shops.services.feeds import stock_feed_pull, stock_feed_set

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    assert settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK, "DIGITAIX_FEEDS_ALLOW_LOOPBACK is off"
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, {rows} rows")
    category = None
    if not Category.objects.filter(name="Épicerie").exists():
        category = Category.add_root(name="Épicerie")  # as tests/factories.py does
    shop = Partner.objects.create(name=f"Banc d'essai flux {os.getpid()}", status="live")
    published = FeedFile()
    server = feed_server(published)
    created_ids: list[int] = []
    try:
        upload = SimpleUploadedFile("bench.csv", generate(rows), content_type="text/csv")
        assert catalogue_csv_import(shop=shop, user=None, upload=upload).status == "applied"
        created_ids = list(shop.stockrecords.values_list("product_id", flat=True))
        host, port = server.server_address[:2]
        feed = stock_feed_set(shop=shop, url=f"http://{host}:{port}/stock.csv")
        print(f"  {len(created_ids)} offers; feed {feed.url}")
        pulls = (
            ("(a) first pull, every row changed", 7, True),
            ("(b) the same file again (304)", 7, True),
            ("(c) every row changed", 14, True),
            ("(d) unchanged, no conditional GET (200)", 14, False),
        )
        for label, shift, conditional in pulls:
            published.publish(generate(rows, price_shift=shift))
            published.conditional = conditional
            started = time.perf_counter()
            report = stock_feed_pull(feed=feed)
            seconds = time.perf_counter() - started
            print(
                f"  {label:<42} {seconds:6.2f} s  HTTP {published.answers[-1]}, {report.status}: "
                f"{report.rows_updated} updated, {report.rows_unchanged} unchanged, "
                f"{report.unknown_count} unknown, {len(report.errors)} problems "
                f"({len(published.body) / 1e6:.2f} MB)",
                flush=True,
            )
            assert report.status != "failed", report.errors
    finally:
        server.shutdown()
        server.server_close()
        created_ids = created_ids or list(shop.stockrecords.values_list("product_id", flat=True))
        shop.delete()
        Product.objects.filter(pk__in=created_ids).delete()
        if category is not None:
            category.delete()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--fresh-db", action="store_true", help="a throw-away PostgreSQL db")
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["DIGITAIX_FEEDS_ALLOW_LOOPBACK"] = "true"  # the feed is on 127.0.0.1
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    if not args.fresh_db:
        run(args.rows)
        return 0
    with fresh_database("digitaix_feedbench"):
        # A child process: the Django connection must be closed before the database is dropped.
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
