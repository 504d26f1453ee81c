"""A shop's offers as a CSV file Excel (French) opens as a table."""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from shops import selectors
from shops.catalogue_io.parse import COLUMNS, FORMULA_START

# --- Export -----------------------------------------------------------------------------------


def catalogue_csv_export(*, shop) -> Iterator[str]:
    """The shop's offers in the import's format, line by line (for a streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_protected(str(c)) for c in cells])
        return buffer.getvalue()

    yield "\ufeff" + line(COLUMNS)
    categories = selectors.merchant_products_first_category(shop=shop)
    rows = selectors.merchant_offers_export(shop=shop).iterator(chunk_size=2000)
    for sku, product_id, title, price, stock, on_sale, description, ean in rows:
        price_text = f"{price:.2f}".replace(".", ",") if price is not None else ""
        yield line(
            [
                sku,
                title,
                price_text,
                stock or 0,
                _("oui") if on_sale else _("non"),
                categories.get(product_id, ""),
                description or "",
                ean or "",
            ]
        )


def _protected(value: str) -> str:
    """A leading quote keeps a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value
