"""A shop's offers as a CSV file Excel (French) opens as a table."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import gettext as _

from catalog.spreadsheet import row_safe
from shops import selectors
from shops.catalogue_io.parse import COLUMNS

# --- Export -----------------------------------------------------------------------------------


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """Rows as CSV lines Excel (French) opens as a table: `;`, CRLF, a BOM before the first
    line (so it reads UTF-8), and no cell a spreadsheet would run as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    start = "\ufeff"
    for cells in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row_safe(cells))
        yield start + buffer.getvalue()
        start = ""


def catalogue_csv_export(*, shop) -> Iterator[str]:
    """The shop's offers in the import's format, line by line (for a streamed response)."""
    return csv_lines(_catalogue_rows(shop=shop))


def _catalogue_rows(*, shop) -> Iterator[list]:
    yield COLUMNS
    categories = selectors.merchant_products_first_category(shop=shop)
    rows = selectors.merchant_offers_export(shop=shop).iterator(chunk_size=2000)
    for sku, product_id, title, price, stock, on_sale, description, ean in rows:
        price_text = f"{price:.2f}".replace(".", ",") if price is not None else ""
        yield [
            sku,
            title,
            price_text,
            stock or 0,
            _("oui") if on_sale else _("non"),
            categories.get(product_id, ""),
            description or "",
            ean or "",
        ]
