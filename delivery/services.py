"""Booking and releasing slots: the only writes to `Slot.booked`.

A booking locks its `Slot` row (`SELECT … FOR UPDATE`) before counting, so concurrent
checkouts on PostgreSQL queue on that row and a slot never takes more orders than its
capacity; the `slot_booked_within_capacity` constraint is the last guard.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from delivery.models import Slot, SlotBooking
from delivery.selectors import delivery_windows_for, pickup_windows_for
from delivery.windows import DELIVERY_SLOT_CAPACITY, SLOT_HORIZON_DAYS

if TYPE_CHECKING:
    from shops.models import Partner

SLOT_FULL = _("Ce créneau est complet : choisissez-en un autre.")
SLOT_UNAVAILABLE = _("Ce créneau n'est plus disponible : choisissez-en un autre.")
ALREADY_BOOKED = _("Cette commande a déjà un créneau : libérez-le avant d'en choisir un autre.")


def _window(*, kind: str, shop, start: datetime.datetime, now) -> tuple[datetime.datetime, int]:
    """The end and capacity of the window starting at `start`, if it is still offered."""
    if kind == Slot.Kind.PICKUP:
        windows = pickup_windows_for(shop=shop, now=now, days=SLOT_HORIZON_DAYS)
        capacity = shop.pickup_slot_capacity
    else:
        windows = delivery_windows_for(now=now, days=SLOT_HORIZON_DAYS)
        capacity = DELIVERY_SLOT_CAPACITY
    end = next((end for begin, end in windows if begin == start), None)
    if end is None:
        raise ValidationError(SLOT_UNAVAILABLE, code="slot_unavailable")
    return end, capacity


def _booking(*, kind: str, shop, start, reference: str) -> SlotBooking | None:
    return (
        SlotBooking.objects.select_related("slot")
        .filter(slot__kind=kind, slot__shop=shop, slot__start=start, reference=reference)
        .first()
    )


@transaction.atomic
def slot_book(
    *,
    kind: str,
    shop: "Partner | None",
    start: datetime.datetime,
    reference: str,
    now: datetime.datetime | None = None,
) -> SlotBooking:
    """Book the slot of `kind` starting at `start` for the order `reference`.

    `shop` is the pickup shop (ignored for delivery, whose slots are town-wide). Booking again
    with the same reference returns the first booking, even once the slot has gone by, so a
    retried checkout is safe. Raises a French `ValidationError` (code `slot_unavailable`,
    `slot_full` or `already_booked`) when the slot cannot be booked.
    """
    if not reference:
        raise ValueError("a booking needs the order's reference")
    if kind == Slot.Kind.PICKUP and shop is None:
        raise ValueError("a pickup slot needs its shop")
    shop = shop if kind == Slot.Kind.PICKUP else None
    if existing := _booking(kind=kind, shop=shop, start=start, reference=reference):
        return existing
    end, capacity = _window(kind=kind, shop=shop, start=start, now=now)
    slot, _created = Slot.objects.select_for_update().get_or_create(
        kind=kind, shop=shop, start=start, defaults={"end": end, "capacity": capacity}
    )
    # Under the lock: a concurrent call with the same reference may have just committed.
    if existing := SlotBooking.objects.filter(slot=slot, reference=reference).first():
        return existing
    if SlotBooking.objects.filter(reference=reference).exists():
        raise ValidationError(ALREADY_BOOKED, code="already_booked")
    if slot.booked >= slot.capacity:
        raise ValidationError(SLOT_FULL, code="slot_full")
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    slot.booked += 1
    return SlotBooking.objects.create(slot=slot, reference=reference)


@transaction.atomic
def slot_release(*, reference: str) -> int:
    """Give back the place(s) the order `reference` holds; returns how many were released.

    Safe to call twice or concurrently: the booking is deleted under its slot's lock, and
    only a call that actually deleted it gives the place back.
    """
    released = 0
    for booking in SlotBooking.objects.filter(reference=reference).only("pk", "slot_id"):
        Slot.objects.select_for_update().only("pk").get(pk=booking.slot_id)
        deleted, _counts = SlotBooking.objects.filter(pk=booking.pk).delete()
        if deleted:
            Slot.objects.filter(pk=booking.slot_id).update(booked=F("booked") - 1)
            released += 1
    return released
