"""Reading and checking a shop's CSV file: every problem reported with its line."""

import codecs
import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.spreadsheet import cell_unprotect
from catalog.text import normalize, rich_text_clean

COLUMNS = ("sku", "titre", "prix", "stock", "en_vente", "categorie", "description", "ean")
REQUIRED = ("sku", "titre", "prix", "stock")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_REPORTED = 200  # messages kept per report; the rest are counted
MAX_STOCK = 2_147_483_647  # PositiveIntegerField's ceiling on every database
MAX_PRICE = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
_LENGTHS = {"sku": 128, "titre": 255, "categorie": 255, "ean": 64}
_ALIASES = {
    "reference": "sku",
    "ref": "sku",
    "nom": "titre",
    "prix_ttc": "prix",
    "quantite": "stock",
    "vente": "en_vente",
    "category": "categorie",
    "upc": "ean",
    "code_barre": "ean",
    "code_barres": "ean",
}
_TRUE = {"oui", "o", "1", "vrai", "true", "yes", "x"}
_FALSE = {"non", "n", "0", "faux", "false", "no"}
# Excel's menu names, as a French user sees them (translated for an English Excel).
_SAVE_AS_UTF8 = gettext_lazy("« Enregistrer sous » puis « CSV UTF-8 (délimité par des virgules) »")


def price_parse(raw: str) -> Decimal | None:
    """ "3,50", "3.50", "3,50 €", "1 234,50" -> Decimal; None unless a price > 0 with at most
    2 decimals. Shared with the stock editor's form."""
    text = "".join((raw or "").replace("€", "").split()).replace(",", ".")
    if not text or text.count(".") > 1 or not text.replace(".", "").isdigit():
        return None
    try:
        price = Decimal(text)
    except InvalidOperation:
        return None
    if price <= 0 or price > MAX_PRICE or -price.as_tuple().exponent > 2:
        return None
    return price


@dataclass
class Report:
    """Errors refuse the file; warnings are kept with an applied one."""

    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    dropped_errors: int = 0
    dropped_warnings: int = 0
    rows_seen: int = 0  # data rows in the file, good or bad

    def error(self, message: str, *, line: int | None = None, column: str = "") -> None:
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(_entry(message, line, column, "error"))
        else:
            self.dropped_errors += 1

    def warn(self, message: str, *, line: int | None = None, column: str = "") -> None:
        if len(self.warnings) < MAX_REPORTED:
            self.warnings.append(_entry(message, line, column, "warning"))
        else:
            self.dropped_warnings += 1

    def stored(self, entries: list[dict], dropped: int) -> list[dict]:
        if dropped:
            more = _("… et %(n)s autres messages.") % {"n": dropped}
            return [*entries, _entry(more, None, "", entries[-1]["level"])]
        return entries


def _entry(message: str, line: int | None, column: str, level: str) -> dict:
    if line is not None:
        message = _("Ligne %(line)s : %(message)s") % {"line": line, "message": message}
    return {"line": line, "column": column, "message": message, "level": level}


@dataclass
class Row:
    line: int
    sku: str
    title: str
    price: Decimal
    stock: int
    on_sale: bool | None  # None: keep the offer's (a new offer goes on sale)
    category: str | None  # None: keep the product's categories
    description: str | None  # None: column absent, keep the product's
    ean: str | None  # None: keep the product's


# --- Reading and checking the file ---------------------------------------------------------


def catalogue_csv_parse(*, data: bytes) -> tuple[list[Row], Report]:
    """Check every row of the file; the rows are usable only when the report has no error."""
    report = Report()
    text = _decode(data, report)
    if text is None:
        return [], report
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= max(first_line.count(","), 1) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, line = [], 1
    try:
        header = next((cells for cells in reader if any(c.strip() for c in cells)), [])
        columns = _columns(header, report)
        if report.errors:
            return [], report
        seen: dict[tuple[str, str], int] = {}
        line, count = reader.line_num + 1, 0
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            count += 1
            report.rows_seen = count
            if count > MAX_ROWS:
                report.errors[:] = []
                report.error(
                    _(
                        "Le fichier compte plus de %(max)s produits : découpez-le en "
                        "plusieurs fichiers."
                    )
                    % {"max": f"{MAX_ROWS:,}".replace(",", "\u202f")}
                )
                return [], report
            row = _row(cells, columns, len(header), start, report, seen)
            if row is not None:
                rows.append(row)
    except csv.Error as error:
        report.error(
            _("le fichier est mal formé (%(detail)s) : vérifiez les guillemets.")
            % {"detail": error},
            line=line,
        )
    return rows, report


def _decode(data: bytes, report: Report) -> str | None:
    if not data.strip(b" \t\r\n" + codecs.BOM_UTF8):
        report.error(
            _(
                "Le fichier est vide : il doit contenir la ligne des colonnes puis un "
                "produit par ligne."
            )
        )
        return None
    if b"\x00" in data:
        report.error(
            _(
                "Ce fichier n'est pas un tableau CSV (il contient des données binaires). Depuis "
                "votre tableur, choisissez %(how)s."
            )
            % {"how": _SAVE_AS_UTF8}
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        report.error(
            _(
                "Le fichier n'est pas encodé en UTF-8 (caractère illisible ligne %(line)s). "
                "Enregistrez le fichier en UTF-8 : dans Excel, %(how)s."
            )
            % {"line": data.count(b"\n", 0, error.start) + 1, "how": _SAVE_AS_UTF8}
        )
        return None


def _columns(header: list[str], report: Report) -> dict[int, str]:
    """Column index -> our name; unknown columns are ignored with a warning."""
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        name = normalize(cell).replace(" ", "_")
        name = _ALIASES.get(name, name)
        if not name:
            continue
        if name not in COLUMNS:
            report.warn(_("Colonne « %(name)s » inconnue : ignorée.") % {"name": cell.strip()})
        elif name in columns.values():
            report.error(_("La colonne « %(name)s » apparaît deux fois.") % {"name": name})
        else:
            columns[index] = name
    missing = [name for name in REQUIRED if name not in columns.values()]
    if missing:
        report.error(
            _(
                "Colonnes obligatoires manquantes : %(missing)s. La première ligne doit nommer "
                "les colonnes (%(expected)s), séparées par « ; » ou « , »."
            )
            % {"missing": ", ".join(missing), "expected": ";".join(COLUMNS)}
        )
    return columns


def _cell(value: str) -> str:
    return cell_unprotect(value.strip())  # the export's protection against formulas


def _row(cells: list[str], columns: dict, width: int, line: int, report: Report, seen: dict):
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        report.error(
            _(
                "%(found)s valeurs pour %(width)s colonnes : mettez entre guillemets les textes "
                "qui contiennent le séparateur."
            )
            % {"found": len(cells), "width": width},
            line=line,
        )
        return None
    values = {name: _cell(cells[i]) if i < len(cells) else "" for i, name in columns.items()}
    errors_before = len(report.errors) + report.dropped_errors
    for name, limit in _LENGTHS.items():
        if len(values.get(name, "")) > limit:
            report.error(
                _("%(column)s trop long (%(limit)s caractères au plus).")
                % {"column": name, "limit": limit},
                line=line,
                column=name,
            )
    for name in REQUIRED:
        if not values[name]:
            report.error(_("%(column)s manquant.") % {"column": name}, line=line, column=name)
    price = price_parse(values["prix"])
    if values["prix"] and price is None:
        report.error(
            _("prix « %(value)s » invalide (un montant supérieur à 0, par exemple 3,50).")
            % {"value": values["prix"]},
            line=line,
            column="prix",
        )
    stock = _stock_parse(values["stock"], line, report)
    on_sale = _on_sale_parse(values.get("en_vente", ""), line, report)
    _unique(line, values, seen, report)
    if len(report.errors) + report.dropped_errors > errors_before:
        return None
    return Row(
        line=line,
        sku=values["sku"],
        title=values["titre"],
        price=price,
        stock=stock,
        on_sale=on_sale,
        category=values.get("categorie") or None,
        # Cleaned as it will be stored, so that importing the same file twice changes nothing.
        description=rich_text_clean(values["description"]) if "description" in values else None,
        ean=values.get("ean") or None,
    )


def _stock_parse(value: str, line: int, report: Report) -> int | None:
    text = "".join(value.split())
    if not text:
        return None
    if text.lstrip("-").isdigit() and text.startswith("-"):
        message = _("stock « %(value)s » négatif : indiquez 0 ou plus.")
    elif text.isdigit() and int(text) <= MAX_STOCK:
        return int(text)
    else:
        message = _("stock « %(value)s » invalide (un nombre entier, 0 ou plus).")
    report.error(message % {"value": value}, line=line, column="stock")
    return None


def _on_sale_parse(value: str, line: int, report: Report) -> bool | None:
    key = value.lower()
    if not key:
        return None
    if key in _TRUE or key in _FALSE:
        return key in _TRUE
    report.error(
        _("en_vente « %(value)s » invalide : « oui » ou « non ».") % {"value": value},
        line=line,
        column="en_vente",
    )
    return None


def _unique(line: int, values: dict[str, str], seen: dict, report: Report) -> None:
    """The SKU, and the EAN when given, appear once in the file."""
    for column in ("sku", "ean"):
        value = values.get(column)
        if not value:
            continue
        first = seen.setdefault((column, value), line)
        if first != line:
            report.error(
                _("%(column)s « %(value)s » déjà présent ligne %(first)s.")
                % {"column": column, "value": value, "first": first},
                line=line,
                column=column,
            )
