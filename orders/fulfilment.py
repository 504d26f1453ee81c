"""What the checkout needs from the delivery app (slots, zones), behind a setting.

`orders` may not import `delivery` (delivery builds on orders: it moves shop orders along).
The checkout and the order placement therefore talk to a *fulfilment provider*, named by
settings.DIGITAIX_FULFILMENT_PROVIDER and wired in `digitaix/` (`delivery.fulfilment`), with
the small interface below. Errors are French `ValidationError`s the checkout shows as they are.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SlotChoice(Protocol):
    """A slot a customer may choose (e.g. `delivery.windows.SlotOption`)."""

    start: datetime.datetime
    end: datetime.datetime

    @property
    def remaining(self) -> int: ...


class FulfilmentProvider(Protocol):
    def pickup_slots(
        self, *, shops: Iterable, now: datetime.datetime | None = None
    ) -> dict[int, Sequence[SlotChoice]]:
        """Each shop's pickup slots still open (shops with `opening_hours` and
        `closing_periods` prefetched), in a number of queries that does not grow with shops."""

    def delivery_slots(self, *, now: datetime.datetime | None = None) -> Sequence[SlotChoice]:
        """The town-wide delivery slots still open."""

    def delivery_fee(self, *, postcode: str, amount: Decimal) -> Decimal:
        """The fee to deliver `amount` of one shop's items to `postcode`, or a
        `ValidationError` (postcode invalid, outside the zones, below the minimum order)."""

    def slot_book(self, *, delivery: bool, shop, start: datetime.datetime, reference: str) -> None:
        """Book the slot for the shop order `reference` (a `ValidationError` when it is
        full or no longer open); safe to call again with the same reference."""

    def slot_release(self, *, reference: str) -> None:
        """Give back the place the shop order `reference` holds, if any."""

    def delivery_progress(self, *, shop_order) -> str:
        """Where a delivery shop order stands in the couriers' rounds, in a French sentence
        ("" when it is in no round yet), for whoever may already see the shop order."""

    def delivery_progress_many(self, *, shop_orders: Sequence) -> dict[int, str]:
        """`delivery_progress` of several shop orders (by id; those in no round left out), in
        a number of queries that does not grow with them."""


@cache
def _provider_class(path: str) -> type:
    return import_string(path)


def fulfilment_provider() -> FulfilmentProvider:
    return _provider_class(settings.DIGITAIX_FULFILMENT_PROVIDER)()
