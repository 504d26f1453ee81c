"""The delivery app as the checkout's fulfilment provider (see `orders.fulfilment`):
pickup and delivery slots, delivery fees by zone, slot bookings for shop orders."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

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

    def delivery_progress(self, *, shop_order) -> str:
        return self.delivery_progress_many(shop_orders=[shop_order]).get(shop_order.pk, "")

    def delivery_progress_many(self, *, shop_orders: Sequence) -> dict[int, str]:
        from delivery.round_selectors import shop_orders_delivery

        stops = shop_orders_delivery(shop_order_ids=[so.pk for so in shop_orders])
        return {shop_order_id: _progress(stop) for shop_order_id, stop in stops.items()}


def _progress(stop) -> str:
    """« Tournée de 10:00 avec Karim : Fait » (or « Échec (Client absent) »)."""
    status = stop.get_status_display()
    if stop.status == stop.Status.FAILED:
        status = f"{status} ({stop.get_failure_display()})"
    context = {
        "courier": stop.round.courier.user.first_name or stop.round.courier,
        "start": formats.time_format(timezone.localtime(stop.round.slot.start), "H:i"),
        "status": status,
    }
    return _("Tournée de %(start)s avec %(courier)s : %(status)s") % context
