"""The one guard against spreadsheet formulas in CSV exports (catalog.spreadsheet)."""

from decimal import Decimal

import pytest

from catalog.spreadsheet import cell_safe, cell_unprotect


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_is_quoted(start):
    assert cell_safe(start + 'HYPERLINK("http://x.example","ici")') == (
        "'" + start + 'HYPERLINK("http://x.example","ici")'
    )


@pytest.mark.parametrize("number", [-12, Decimal("-3.50"), -0.5, 0, 7])
def test_numbers_stay_numbers_even_negative(number):
    assert cell_safe(number) == number


def test_ordinary_text_and_empty_cells_are_untouched():
    assert cell_safe("Boulangerie Dupont") == "Boulangerie Dupont"
    assert cell_safe("") == ""
    assert cell_safe(None) is None
    assert cell_safe("a=b") == "a=b"


def test_objects_are_written_as_their_text_made_safe():
    class Product:
        def __str__(self):
            return "=1+1"

    assert cell_safe(Product()) == "'=1+1"


def test_unprotect_gives_back_what_was_quoted():
    for text in ("=SUM(A1)", "-PAIN", "@x", "plain", "'quoted"):
        assert cell_unprotect(cell_safe(text)) == text
