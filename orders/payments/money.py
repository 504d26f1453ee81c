"""Euro amounts to Stripe's integer cents and back, and the town's commission on each shop's share.

Stripe counts in the currency's smallest unit; our models count in ``Decimal`` euros. Converting
refuses anything finer than a cent instead of rounding it away silently, and the one place where
rounding is needed (the commission) rounds per shop so that every cent stays accounted for.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")
DEFAULT_COMMISSION_RATE = Decimal("0.05")


@dataclass(frozen=True)
class Split:
    """One shop's share of a payment: what the town keeps and what goes to the shop."""

    total: Decimal
    commission: Decimal
    transfer: Decimal


def round_to_cent(amount: Decimal) -> Decimal:
    """Round half up to the cent (the usual French commercial rounding)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal) -> int:
    """Exact euros to cents: ``Decimal("12.30")`` → 1230; a fraction of a cent is an error."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"Not a finite Decimal amount: {amount!r}")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"Amount has a fraction of a cent: {amount}")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Cents to euros with two decimals: 1230 → ``Decimal("12.30")``."""
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise ValueError(f"Not an integer number of cents: {cents!r}")
    return (Decimal(cents) / 100).quantize(CENT)


def commission_rate() -> Decimal:
    """The town's commission rate from ``DIGITAIX_COMMISSION_RATE`` (e.g. "0.05" for 5 %)."""
    rate = Decimal(str(getattr(settings, "DIGITAIX_COMMISSION_RATE", DEFAULT_COMMISSION_RATE)))
    _check_rate(rate)
    return rate


def commission_split(*, shop_totals: dict[int, Decimal], rate: Decimal) -> dict[int, Split]:
    """Split each shop's total into the town's commission and the transfer to the shop.

    The commission is rounded to the cent per shop and the transfer is what remains, so
    ``transfer + commission == total`` for every shop and, summed, nothing is lost or invented.
    """
    _check_rate(rate)
    splits = {}
    for shop_id, total in shop_totals.items():
        to_cents(total)  # refuses sub-cent totals
        if total < 0:
            raise ValueError(f"Shop {shop_id} has a negative total: {total}")
        commission = round_to_cent(total * rate)
        splits[shop_id] = Split(total=total, commission=commission, transfer=total - commission)
    return splits


def _check_rate(rate: Decimal) -> None:
    if not isinstance(rate, Decimal) or not Decimal(0) <= rate <= Decimal(1):
        raise ValueError(f"A commission rate is a Decimal between 0 and 1, not {rate!r}")
