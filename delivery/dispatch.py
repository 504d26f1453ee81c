"""Building the couriers' rounds for a delivery slot, at its cut-off.

Which shop orders: delivery shop orders whose slot starts at or before this slot, that were
*ready at the cut-off* (a shop order marked ready later waits for the next slot, so building
again after the cut-off gives the same rounds), plus failed deliveries staff re-planned, and
none already in another round. Which couriers: those in service who work that day and have no
round of this slot under way. How: the drops are split across the couriers within their
capacity (`routing.stops_split`, a sweep around the depot); each round picks up at its shops
first, then drops at the residents, each leg ordered by `routing.route_plan` (nearest
neighbour improved by 2-opt). Parcels no courier can take, or a slot without any courier,
raise a `DispatchAlert` for staff; those shop orders stay ready and go to the next slot.

Rounds still `planned` are rebuilt from scratch (deterministically: same input, same
rounds); a round under way or done is never touched.
"""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery import routing
from delivery.models import Courier, DispatchAlert, Round, RoundStop, Slot
from delivery.windows import DELIVERY_CUTOFF, DELIVERY_SLOT_CAPACITY, delivery_windows
from orders.models import ShopOrder, ShopOrderEvent
from shops.geocoding import geocoder_get

logger = logging.getLogger(__name__)
Status = ShopOrder.Status


@dataclass
class BuildResult:
    rounds: list[Round] = field(default_factory=list)
    unassigned: list[int] = field(default_factory=list)  # shop order ids left for the next slot
    skipped: bool = False  # the slot's cut-off has not passed


def depot() -> routing.Point:
    """Where rounds start: the town's delivery base (settings.DIGITAIX_DELIVERY_DEPOT)."""
    lat, lon = settings.DIGITAIX_DELIVERY_DEPOT
    return routing.Point(lat=lat, lon=lon)


def cutoff_of(slot: Slot) -> datetime.datetime:
    return slot.start - DELIVERY_CUTOFF


def shop_orders_to_deliver(*, slot: Slot):
    """The shop orders this slot's rounds carry (see the module's docstring)."""
    ready_at = (
        ShopOrderEvent.objects.filter(shop_order=OuterRef("pk"), to_status=Status.READY)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    in_a_round = RoundStop.objects.filter(
        shop_order=OuterRef("pk"), kind=RoundStop.Kind.DROP, status=RoundStop.Status.PENDING
    )
    replanned = RoundStop.objects.filter(
        shop_order=OuterRef("pk"), status=RoundStop.Status.FAILED, replan=True
    )
    ready = Q(status=Status.READY, ready_at__lte=cutoff_of(slot))
    return (
        ShopOrder.objects.filter(fulfilment=ShopOrder.Fulfilment.DELIVERY)
        .filter(slot_start__lte=slot.start)
        .annotate(ready_at=Subquery(ready_at))
        .filter(ready | Q(status=Status.DELIVERY_FAILED) & Exists(replanned))
        .exclude(Exists(in_a_round))
        .select_related("shop", "order__shipping_address")
        .order_by("pk")
    )


def couriers_available(*, slot: Slot) -> list[Courier]:
    day = timezone.localtime(slot.start).date()
    busy = Round.objects.filter(slot=slot).exclude(status=Round.Status.PLANNED)
    couriers = (
        Courier.objects.filter(is_active=True)
        .exclude(pk__in=busy.values("courier"))
        .select_related("user")
        .order_by("pk")
    )
    return [courier for courier in couriers if courier.works_on(day)]


@transaction.atomic
def rounds_build(*, slot: Slot, now: datetime.datetime | None = None) -> BuildResult:
    """Build (or rebuild) the planned rounds of a delivery slot once its cut-off has passed."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().get(pk=slot.pk)  # one build of a slot at a time
    if now < cutoff_of(slot):
        return BuildResult(skipped=True)
    Round.objects.filter(slot=slot, status=Round.Status.PLANNED).delete()
    shop_orders = list(shop_orders_to_deliver(slot=slot))
    couriers = couriers_available(slot=slot)
    points = _points(shop_orders)
    unassigned = [so.pk for so in shop_orders if not points.get(("drop", so.pk))]
    # One stop per address: the shop orders of one order (one address, this slot) are one drop,
    # carried by one courier, its parcels counted against the courier's capacity.
    by_order: dict[int, list[ShopOrder]] = {}
    for so in shop_orders:
        if points.get(("drop", so.pk)):
            by_order.setdefault(so.order_id, []).append(so)
    drops = list(by_order.values())
    start = depot()
    split = routing.stops_split(
        depot=start,
        points=[points[("drop", drop[0].pk)] for drop in drops],
        capacities=[courier.capacity for courier in couriers],
        weights=[len(drop) for drop in drops],
    )
    result = BuildResult(
        unassigned=unassigned + [so.pk for i in split.unassigned for so in drops[i]]
    )
    for courier, group in zip(couriers, split.groups, strict=False):
        if group:
            result.rounds.append(
                _round_create(slot, courier, [drops[i] for i in group], points, start, now)
            )
    slot.rounds_built_at = now
    slot.save(update_fields=["rounds_built_at"])
    _alert(slot, shop_orders, couriers, result)
    return result


def _points(shop_orders: list[ShopOrder]) -> dict[tuple[str, int], routing.Point | None]:
    """Coordinates of every drop (the delivery address) and every shop (its own coordinates,
    else its address), geocoded once per build."""
    geocoder = geocoder_get()
    points: dict[tuple[str, int], routing.Point | None] = {}
    for so in shop_orders:
        address = so.order.shipping_address
        points[("drop", so.pk)] = (
            geocoder.geocode(line1=address.line1, postcode=address.postcode, city=address.line4)
            if address
            else None
        )
        shop = so.shop
        if ("shop", shop.pk) not in points:
            if shop.latitude is not None and shop.longitude is not None:
                points[("shop", shop.pk)] = routing.Point(
                    lat=float(shop.latitude), lon=float(shop.longitude)
                )
            else:
                points[("shop", shop.pk)] = geocoder.geocode(
                    line1=shop.address_line, postcode=shop.postcode, city=shop.city
                )
    return points


def _round_create(slot, courier, drops, points, start, now) -> Round:
    """A round: its shops' pickups, then its drops, each drop (one address) one stop whose
    parcels (one per shop order) follow each other at the same place."""
    shops = sorted({so.shop for drop in drops for so in drop}, key=lambda shop: shop.pk)
    shop_points = [points[("shop", shop.pk)] or start for shop in shops]
    shop_order = routing.route_plan(start=start, points=shop_points)
    last = shop_points[shop_order[-1]] if shop_order else start
    drop_points = [points[("drop", drop[0].pk)] for drop in drops]
    drop_order = routing.route_plan(start=last, points=drop_points)
    distance = routing.path_length_km(
        start=start, points=shop_points, order=shop_order
    ) + routing.path_length_km(start=last, points=drop_points, order=drop_order)
    round_ = Round.objects.create(
        slot=slot, courier=courier, built_at=now, distance_km=Decimal(f"{distance:.2f}")
    )
    stops = [
        RoundStop(
            round=round_,
            position=position,
            kind=RoundStop.Kind.PICKUP,
            shop=shops[i],
            latitude=shop_points[i].lat,
            longitude=shop_points[i].lon,
        )
        for position, i in enumerate(shop_order)
    ]
    parcels = [(drop_points[i], so) for i in drop_order for so in drops[i]]
    stops += [
        RoundStop(
            round=round_,
            position=len(shop_order) + position,
            kind=RoundStop.Kind.DROP,
            shop=so.shop,
            shop_order=so,
            latitude=point.lat,
            longitude=point.lon,
        )
        for position, (point, so) in enumerate(parcels)
    ]
    RoundStop.objects.bulk_create(stops)
    return round_


def _alert(slot: Slot, shop_orders, couriers, result: BuildResult) -> None:
    """One open alert per slot, updated on each build; closed when nothing is left over."""
    open_alerts = DispatchAlert.objects.filter(slot=slot, resolved_at__isnull=True)
    if not result.unassigned:
        open_alerts.update(resolved_at=timezone.now())
        return
    if not couriers:
        message = _("Aucun livreur disponible pour ce créneau : %(n)d commande(s) en attente.")
    else:
        message = _(
            "Les livreurs ne peuvent pas tout prendre (capacité ou adresse introuvable) : "
            "%(n)d commande(s) reportée(s) au créneau suivant."
        )
    message %= {"n": len(result.unassigned)}
    alert = open_alerts.first()
    if alert is None:
        alert = DispatchAlert.objects.create(
            slot=slot, message=message, shop_orders=len(result.unassigned)
        )
        from delivery.rounds import dispatch_alert_message_add

        dispatch_alert_message_add(alert=alert)
    else:
        open_alerts.update(message=message, shop_orders=len(result.unassigned))
    logger.warning("Dispatch %s: %s", slot, message)


def slots_due(*, now: datetime.datetime | None = None) -> list[Slot]:
    """The delivery slots whose cut-off has passed, not yet over, rounds never built: the
    slot rows are created when needed (a slot nobody booked may still carry late orders)."""
    now = now or timezone.now()
    # Windows starting by now + cut-off inclusive (`until` is exclusive): a slot is due from
    # its cut-off on, to the minute.
    until = now + DELIVERY_CUTOFF + datetime.timedelta(microseconds=1)
    windows = delivery_windows(earliest=now - datetime.timedelta(days=1), until=until)
    due = []
    for start, end in windows:
        if start - DELIVERY_CUTOFF <= now < end:
            slot, _created = Slot.objects.get_or_create(
                kind=Slot.Kind.DELIVERY,
                shop=None,
                start=start,
                defaults={"end": end, "capacity": DELIVERY_SLOT_CAPACITY},
            )
            if slot.rounds_built_at is None:
                due.append(slot)
    return due


def rounds_build_due(*, now: datetime.datetime | None = None) -> int:
    """What beat runs every few minutes: build each due slot once. Returns rounds built."""
    built = 0
    for slot in slots_due(now=now):
        built += len(rounds_build(slot=slot, now=now).rounds)
    return built
