"""Euros ↔ cents and the commission split: not a cent lost or invented, whatever the amounts."""

import random
from decimal import Decimal

import pytest

from orders.payments.money import (
    Split,
    commission_rate,
    commission_split,
    from_cents,
    round_to_cent,
    to_cents,
)


@pytest.mark.parametrize(
    ("euros", "cents"),
    [("0", 0), ("0.01", 1), ("12.3", 1230), ("18.50", 1850), ("4154.99", 415499)],
)
def test_euros_and_cents_convert_both_ways_exactly(euros, cents):
    assert to_cents(Decimal(euros)) == cents
    assert from_cents(cents) == Decimal(euros)
    assert str(from_cents(cents)).count(".") == 1 and len(str(from_cents(cents)).split(".")[1]) == 2


@pytest.mark.parametrize("amount", [Decimal("1.005"), Decimal("NaN"), Decimal("Infinity"), 1.5])
def test_amount_finer_than_a_cent_or_not_a_decimal_is_refused(amount):
    with pytest.raises(ValueError):
        to_cents(amount)


def test_cents_must_be_an_integer():
    with pytest.raises(ValueError):
        from_cents(12.5)


def test_commission_rounds_half_up_to_the_cent():
    assert round_to_cent(Decimal("0.125")) == Decimal("0.13")
    assert round_to_cent(Decimal("0.1249")) == Decimal("0.12")
    splits = commission_split(shop_totals={7: Decimal("10.50")}, rate=Decimal("0.05"))
    assert splits[7] == Split(
        total=Decimal("10.50"), commission=Decimal("0.53"), transfer=Decimal("9.97")
    )


def test_commission_split_never_loses_or_invents_a_cent():
    rng = random.Random(20261128)
    for _ in range(3000):
        shops = rng.randint(1, 12)
        totals = {
            shop: from_cents(rng.choice([0, 1, 5, rng.randint(1, 99), rng.randint(1, 10**7)]))
            for shop in range(shops)
        }
        rate = Decimal(rng.randint(0, 10000)) / Decimal(10000)

        splits = commission_split(shop_totals=totals, rate=rate)

        assert splits.keys() == totals.keys()
        transfers = sum((s.transfer for s in splits.values()), Decimal(0))
        commissions = sum((s.commission for s in splits.values()), Decimal(0))
        assert transfers + commissions == sum(totals.values(), Decimal(0))
        for shop, split in splits.items():
            assert split.total == totals[shop]
            assert to_cents(split.commission) >= 0 and to_cents(split.transfer) >= 0
            assert abs(split.commission - totals[shop] * rate) <= Decimal("0.005")


@pytest.mark.parametrize("rate", [Decimal("-0.01"), Decimal("1.01"), 0.05])
def test_commission_rate_outside_zero_to_one_is_refused(rate):
    with pytest.raises(ValueError, match="commission rate"):
        commission_split(shop_totals={1: Decimal("10.00")}, rate=rate)


def test_negative_or_sub_cent_shop_total_is_refused():
    with pytest.raises(ValueError, match="negative"):
        commission_split(shop_totals={1: Decimal("-1.00")}, rate=Decimal("0.05"))
    with pytest.raises(ValueError, match="fraction of a cent"):
        commission_split(shop_totals={1: Decimal("1.001")}, rate=Decimal("0.05"))


def test_commission_rate_comes_from_settings(settings):
    settings.DIGITAIX_COMMISSION_RATE = "0.085"
    assert commission_rate() == Decimal("0.085")
    settings.DIGITAIX_COMMISSION_RATE = "2"
    with pytest.raises(ValueError):
        commission_rate()
