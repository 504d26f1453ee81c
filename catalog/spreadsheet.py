"""The one guard against spreadsheet formulas in every CSV file the portal serves.

A resident, a merchant or a courier types text that ends up in a CSV export (a name, a shop's
name, a product's title). Excel or LibreOffice run a cell starting with `=`, `+`, `-`, `@`, a
tab or a carriage return as a formula (`=HYPERLINK(…)`, `=cmd|…`): "CSV injection". Every
export writes its cells through `cell_safe` (or `SafeCSVWriter`, for Oscar's writers), which
puts a quote before such a text cell; numbers stay numbers, negative ones included, since a
number is never run as a formula. The CSV import strips that quote again (see
`cell_unprotect`), so an export re-imports as is. This is the lowest app, so every app may
use it.
"""

from numbers import Number

from oscar.core.compat import UnicodeCSVWriter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value):
    """`value` as a spreadsheet will show it, never run it: text starting like a formula gets
    a leading quote; numbers (int, Decimal, float) and None are returned unchanged."""
    if value is None or (isinstance(value, Number) and not isinstance(value, bool)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def cell_unprotect(text: str) -> str:
    """The inverse of `cell_safe` for text read back from one of our exports."""
    if text[:1] == "'" and text[1:2] and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def row_safe(cells) -> list:
    return [cell_safe(cell) for cell in cells]


class SafeCSVWriter(UnicodeCSVWriter):
    """Oscar's CSV writer (dashboard order list, reports), every text cell made safe."""

    def writerow(self, row):
        super().writerow(row_safe(row))
