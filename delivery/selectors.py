"""Queries of the delivery app: the slots a customer may choose, and delivery zones and fees.

A slot is offered when its window is open (see `delivery.windows`) and it is not full; the
places taken come from the `Slot` rows in one query, whatever the number of slots.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from delivery.models import DeliveryZone, Slot
from delivery.windows import (
    DELIVERY_CUTOFF,
    DELIVERY_SLOT_CAPACITY,
    SLOT_HORIZON_DAYS,
    SlotOption,
    Window,
    delivery_windows,
    pickup_windows,
)

if TYPE_CHECKING:
    from shops.models import Partner

POSTCODE_INVALID = _("Saisissez un code postal à 5 chiffres.")
OUTSIDE_ZONES = _("Nous ne livrons pas encore à cette adresse : choisissez le retrait en boutique.")
BELOW_MINIMUM = _(
    "La livraison dans la zone %(zone)s demande au moins %(minimum)s € de commande "
    "(il manque %(missing)s €)."
)


def shop_offers_pickup(shop: "Partner") -> bool:
    return shop.is_live and shop.offers_click_collect


def pickup_windows_for(
    *, shop: "Partner", now: datetime.datetime | None = None, days: int
) -> list[Window]:
    """The shop's open pickup windows: within hours, after the lead time, within `days`."""
    if not shop_offers_pickup(shop):
        return []
    now = now or timezone.now()
    return pickup_windows(
        hours=shop.opening_hours.all(),
        closures=shop.closing_periods.all(),
        slot_minutes=shop.pickup_slot_minutes,
        earliest=now + datetime.timedelta(minutes=shop.pickup_lead_minutes),
        until=now + datetime.timedelta(days=days),
    )


def delivery_windows_for(*, now: datetime.datetime | None = None, days: int) -> list[Window]:
    """The town-wide delivery windows: after the cut-off, within `days`."""
    now = now or timezone.now()
    return delivery_windows(
        earliest=now + DELIVERY_CUTOFF, until=now + datetime.timedelta(days=days)
    )


def _options(*, kind: str, shop, windows: list[Window], capacity: int) -> list[SlotOption]:
    """The windows not full yet, their places taken read from existing rows in one query."""
    if not windows:
        return []
    rows = Slot.objects.filter(
        kind=kind, shop=shop, start__gte=windows[0][0], start__lte=windows[-1][0]
    ).values_list("start", "capacity", "booked")
    taken = {start: (row_capacity, booked) for start, row_capacity, booked in rows}
    options = []
    for start, end in windows:
        row_capacity, booked = taken.get(start, (capacity, 0))
        option = SlotOption(kind, getattr(shop, "pk", None), start, end, row_capacity, booked)
        if not option.is_full:
            options.append(option)
    return options


def pickup_slots_by_shop(
    *,
    shops: Sequence["Partner"],
    now: datetime.datetime | None = None,
    days: int = SLOT_HORIZON_DAYS,
) -> dict[int, list[SlotOption]]:
    """The pickup slots a customer may choose in each of `shops` (by shop id), soonest first.

    One query for the places taken in all the shops, whatever their number, when the caller
    prefetched their `opening_hours` and `closing_periods` (the checkout does).
    """
    now = now or timezone.now()
    windows = {shop.pk: pickup_windows_for(shop=shop, now=now, days=days) for shop in shops}
    starts = [start for spans in windows.values() for start, _end in spans]
    taken: dict[tuple[int, datetime.datetime], tuple[int, int]] = {}
    if starts:
        rows = Slot.objects.filter(
            kind=Slot.Kind.PICKUP,
            shop__in=[pk for pk, spans in windows.items() if spans],
            start__gte=min(starts),
            start__lte=max(starts),
        ).values_list("shop_id", "start", "capacity", "booked")
        taken = {(shop_id, start): (capacity, booked) for shop_id, start, capacity, booked in rows}
    slots = {}
    for shop in shops:
        options = (
            SlotOption(
                Slot.Kind.PICKUP,
                shop.pk,
                start,
                end,
                *taken.get((shop.pk, start), (shop.pickup_slot_capacity, 0)),
            )
            for start, end in windows[shop.pk]
        )
        slots[shop.pk] = [option for option in options if not option.is_full]
    return slots


def delivery_slots_available(
    *, now: datetime.datetime | None = None, days: int = SLOT_HORIZON_DAYS
) -> list[SlotOption]:
    """The town-wide delivery slots a customer may choose, soonest first (one query)."""
    windows = delivery_windows_for(now=now, days=days)
    return _options(
        kind=Slot.Kind.DELIVERY, shop=None, windows=windows, capacity=DELIVERY_SLOT_CAPACITY
    )


def normalize_postcode(postcode: str) -> str:
    return "".join(str(postcode).split())


def delivery_zone_for_postcode(*, postcode: str) -> DeliveryZone | None:
    """The active zone serving `postcode` ("73 100" is read as "73100"), or None."""
    return DeliveryZone.objects.filter(
        is_active=True, postcodes__postcode=normalize_postcode(postcode)
    ).first()


def _euros(amount: Decimal) -> str:
    return formats.number_format(amount, decimal_pos=2, use_l10n=True)


def delivery_quote(*, postcode: str, order_amount: Decimal) -> tuple[DeliveryZone, Decimal]:
    """The zone and the delivery fee for an order to `postcode`.

    Raises a French `ValidationError` (code `postcode_invalid`, `outside_zones` or
    `below_minimum`) the checkout can show as is.
    """
    postcode = normalize_postcode(postcode)
    if not (len(postcode) == 5 and postcode.isascii() and postcode.isdigit()):
        raise ValidationError(POSTCODE_INVALID, code="postcode_invalid")
    zone = delivery_zone_for_postcode(postcode=postcode)
    if zone is None:
        raise ValidationError(OUTSIDE_ZONES, code="outside_zones")
    order_amount = Decimal(order_amount)
    if order_amount < zone.minimum_order:
        params = {
            "zone": zone.name,
            "minimum": _euros(zone.minimum_order),
            "missing": _euros(zone.minimum_order - order_amount),
        }
        raise ValidationError(BELOW_MINIMUM, code="below_minimum", params=params)
    return zone, zone.fee


def delivery_terms() -> dict:
    """What home delivery costs anywhere in town, for the pages that show it before the
    basket: the lowest and highest fee and minimum order of the active zones ({} without any
    zone: falsy, and still cached). 1 query."""
    from django.db.models import Max, Min

    terms = DeliveryZone.objects.filter(is_active=True).aggregate(
        fee_from=Min("fee"), fee_to=Max("fee"),
        minimum_from=Min("minimum_order"), minimum_to=Max("minimum_order"),
    )  # fmt: skip
    return terms if terms["fee_from"] is not None else {}
