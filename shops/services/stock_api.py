"""The API's bulk stock update (`POST /api/v1/stock/`): up to MAX_LINES lines `{sku,
num_in_stock, price?}` for one shop, applied all together or not at all, with the stock
editor's own rules (offers_stock_update: never below the units orders hold).

A line names an offer the shop already has by its SKU (a new product goes through
`POST /api/v1/offers/` and the town's moderation). Every problem is reported with its line.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shops.services.offers import OfferChange, offers_stock_update

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

MAX_LINES = 5000


@dataclass(frozen=True)
class StockLine:
    sku: str
    num_in_stock: int
    price: Decimal | None = None


@dataclass(frozen=True)
class StockResult:
    lines: int
    updated: int
    unchanged: int


class StockLinesError(Exception):
    """The lines refused, each `{"line": n (from 1), "sku": ..., "errors": {field: [...]}}`:
    nothing was written."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} line(s) refused")
        self.errors = errors


@transaction.atomic
def offers_stock_bulk_update(*, shop: Partner, lines: list[StockLine]) -> StockResult:
    """Apply `lines` to `shop`'s offers in one go; StockLinesError (nothing written) when any
    line names an unknown or repeated SKU or would take a stock below what orders hold."""
    from shops import selectors

    if len(lines) > MAX_LINES:
        message = _("%(n)s lignes au plus par appel.") % {"n": MAX_LINES}
        raise StockLinesError([{"line": None, "sku": None, "errors": {"lines": [message]}}])
    skus = {line.sku for line in lines}
    offers = {o.partner_sku: o for o in selectors.merchant_offers_by_sku(shop=shop, skus=skus)}
    errors, changes, line_of = [], {}, {}
    for number, line in enumerate(lines, start=1):
        offer = offers.get(line.sku)
        if offer is None:
            message = _("Aucune offre de la boutique n'a cette référence.")
            errors.append(_line_error(number, line, "sku", message))
        elif offer.pk in changes:
            message = _("Référence déjà donnée ligne %(n)s.") % {"n": line_of[offer.pk]}
            errors.append(_line_error(number, line, "sku", message))
        else:
            price = line.price if line.price is not None else offer.price
            changes[offer.pk] = OfferChange(
                price=price, num_in_stock=line.num_in_stock, is_on_sale=offer.is_on_sale
            )
            line_of[offer.pk] = number
    if errors:
        raise StockLinesError(errors)
    try:
        updated = offers_stock_update(
            shop=shop, changes=changes, source=StockRecord.StockSource.API
        )
    except ValidationError as error:
        refused = sorted(
            (line_of[int(pk)], messages) for pk, messages in error.message_dict.items()
        )
        raise StockLinesError(
            [
                _line_error(n, lines[n - 1], "num_in_stock", " ".join(messages))
                for n, messages in refused
            ]
        ) from error
    return StockResult(lines=len(lines), updated=updated, unchanged=len(lines) - updated)


def _line_error(number: int, line: StockLine, field: str, message: str) -> dict:
    return {"line": number, "sku": line.sku, "errors": {field: [str(message)]}}
