"""A shop's offers as a CSV file: the export, and an import applied whole or refused whole.

One line per offer, French headers, `;` between cells and UTF-8 with a BOM on export, so
Excel (French) opens it as a table; the import also accepts `,` and UTF-8 without a BOM:

    sku;titre;prix;stock;en_vente;categorie;description;ean

Every row is checked before anything is written; one bad row refuses the whole file and
the report lists every problem with its line number. A row matches the shop's offer with
the same SKU (so importing a file twice updates, never duplicates); other rows create a
product and its offer. Products another shop offers too are shared: the import changes the
shop's offer on them (price, stock, on sale) but not their title, description or EAN.
"""

from shops.catalogue_io.apply import catalogue_csv_import
from shops.catalogue_io.export import catalogue_csv_export
from shops.catalogue_io.parse import (
    COLUMNS,
    MAX_BYTES,
    MAX_PRICE,
    MAX_ROWS,
    MAX_STOCK,
    REQUIRED,
    Report,
    Row,
    catalogue_csv_parse,
    price_parse,
)

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_PRICE",
    "MAX_ROWS",
    "MAX_STOCK",
    "REQUIRED",
    "Report",
    "Row",
    "catalogue_csv_export",
    "catalogue_csv_import",
    "catalogue_csv_parse",
    "price_parse",
]
