"""Barcode numbers typed or scanned on "Ajouter un produit"."""

import pytest

from shops.dashboard.product_forms import ean_of, ean_valid, price_input


@pytest.mark.parametrize(
    "code", ["4006381333931", "3760123456784", "96385074", "036000291452", "10012345678902"]
)
def test_valid_codes_check(code):
    assert ean_valid(code)


@pytest.mark.parametrize(
    "code", ["4006381333932", "3760123456789", "96385075", "1234", "abcdefghijklm", ""]
)
def test_wrong_codes_do_not_check(code):
    assert not ean_valid(code)


def test_a_search_reads_as_a_barcode_only_when_it_is_digits_of_a_barcode_length():
    assert ean_of(" 4006381 333931 ") == "4006381333931"
    assert ean_of("Pain 500") == "" and ean_of("12345") == ""


def test_prices_are_shown_as_a_french_merchant_types_them():
    from decimal import Decimal

    assert price_input(Decimal("4.5")) == "4,50" and price_input(None) == ""
