"""How long a merchant waits for a large CSV import: 5,000 rows into a fresh shop, twice.

The first run creates every product and offer, the second (the same file with new prices
and stocks) updates them all; then the shop is exported. Both imports go through the real
service (parse, checks, bulk writes, the CsvImport record, and the search refresh that runs
once the transaction commits, in-process as with no broker).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digitaix_h2bench \\
        .venv/bin/python bench/csv_import.py          # on a migrated database of yours
    .venv/bin/python bench/csv_import.py --fresh-db   # a throw-away PostgreSQL database

Everything it creates (the shop, its products, or the whole --fresh-db database) is removed
at the end, also on failure. Prints the timings; figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}


def generate(rows: int, *, price_shift: int = 0) -> bytes:
    """A realistic file: French headers, decimal commas, some categories and EANs."""
    lines = ["sku;titre;prix;stock;en_vente;categorie;description;ean"]
    for i in range(rows):
        cents = 150 + (i * 37 + price_shift) % 4000
        lines.append(
            f"BENCH-{i:05d};Produit de banc d'essai n°{i};{cents // 100},{cents % 100:02d};"
            f"{(i + price_shift) % 50};{'non' if i % 20 == 0 else 'oui'};Épicerie;"
            f"Description du produit {i}, fabriqué en ville;{3_760_000_000_000 + i}"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def timed(label: str, func):
    started = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - started
    print(f"  {label:<40} {seconds:6.2f} s", flush=True)
    return result, seconds


def import_timed(label: str, shop, upload):
    """The import, then its commit (which runs the search refresh in-process): two figures."""
    from django.db import transaction

    from shops.catalogue_io import catalogue_csv_import

    started = time.perf_counter()
    with transaction.atomic():
        record = catalogue_csv_import(shop=shop, user=None, upload=upload)
        imported = time.perf_counter()
    done = time.perf_counter()
    print(
        f"  {label:<40} {imported - started:6.2f} s"
        f"  (+ {done - imported:.2f} s search refresh after commit = {done - started:.2f} s)",
        flush=True,
    )
    assert record.status == "applied", record.errors[:5]
    print(
        f"    -> {record.rows_created} created, {record.rows_updated} updated, "
        f"{len(record.errors)} warnings"
    )
    return record


def run(rows: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from oscar.core.loading import get_model

    from shops.catalogue_io import catalogue_csv_export

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}, {rows} rows")
    category = None
    if not Category.objects.filter(name="Épicerie").exists():
        category = Category.add_root(name="Épicerie")  # as tests/factories.py does
    shop = Partner.objects.create(name=f"Banc d'essai CSV {os.getpid()}", status="live")
    created_ids: list[int] = []
    try:
        for label, shift in (("import 1 (creates)", 0), ("import 2 (updates)", 7)):
            data = generate(rows, price_shift=shift)
            upload = SimpleUploadedFile("bench.csv", data, content_type="text/csv")
            import_timed(f"{label}, {len(data) / 1e6:.1f} MB", shop, upload)
        created_ids = list(shop.stockrecords.values_list("product_id", flat=True))
        text, _ = timed("export", lambda: "".join(catalogue_csv_export(shop=shop)))
        upload = SimpleUploadedFile("export.csv", text.encode("utf-8"))
        import_timed("re-import of the export (no change)", shop, upload)
        searchable = Product.objects.filter(pk__in=created_ids[:1], search_text__contains="essai")
        assert searchable.exists(), "search columns not refreshed"
    finally:
        created_ids = created_ids or list(shop.stockrecords.values_list("product_id", flat=True))
        shop.delete()
        Product.objects.filter(pk__in=created_ids).delete()
        if category is not None:
            category.delete()


def fresh_database() -> str:
    name = f"digitaix_csvbench_{os.getpid()}"
    args = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
    subprocess.run(["createdb", *args, name], check=True)
    return name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument(
        "--fresh-db", action="store_true", help="create, migrate and drop a PostgreSQL database"
    )
    args = parser.parse_args()
    # No broker: the search refresh runs in-process after commit, and is part of the figure.
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
        # A child process: the Django connection must be closed before the database is dropped.
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows)], check=True)
    finally:
        args_pg = ["-h", PG["host"], "-p", PG["port"], "-U", PG["user"]]
        subprocess.run(["dropdb", *args_pg, "--if-exists", "--force", name], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
