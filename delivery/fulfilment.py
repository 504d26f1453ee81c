"""The delivery app as the checkout's fulfilment provider (see `orders.fulfilment`):
pickup and delivery slots, delivery fees by zone, slot bookings for shop orders."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from delivery.models import Slot
from delivery.selectors import delivery_quote, delivery_slots_available, pickup_slots_by_shop
from delivery.services import slot_book, slot_release
from delivery.windows import SlotOption


class DeliveryProvider:
    def pickup_slots(
        self, *, shops: Iterable, now: datetime.datetime | None = None
    ) -> dict[int, Sequence[SlotOption]]:
        return pickup_slots_by_shop(shops=list(shops), now=now)

    def delivery_slots(self, *, now: datetime.datetime | None = None) -> Sequence[SlotOption]:
        return delivery_slots_available(now=now)

    def delivery_fee(self, *, postcode: str, amount: Decimal) -> Decimal:
        _zone, fee = delivery_quote(postcode=postcode, order_amount=amount)
        return fee

    def slot_book(self, *, delivery: bool, shop, start: datetime.datetime, reference: str) -> None:
        kind = Slot.Kind.DELIVERY if delivery else Slot.Kind.PICKUP
        slot_book(kind=kind, shop=shop, start=start, reference=reference)

    def slot_release(self, *, reference: str) -> None:
        slot_release(reference=reference)
