"""Queries of the rounds: a courier's own (isolation: every courier query is limited here to
their rounds), and the staff's delivery board. Each page's queries do not grow with stops."""

import datetime
from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from oscar.core.loading import get_model

from accounts.types import Visitor
from delivery.models import Courier, DispatchAlert, Round, RoundStop, Slot
from orders.models import ShopOrder

Line = get_model("order", "Line")


def courier_of(user: Visitor) -> Courier | None:
    """The active courier profile of `user` (a member of the couriers' group), or None."""
    if not user.is_authenticated:
        return None
    from delivery.models import COURIERS_GROUP

    return (
        Courier.objects.filter(user=user, is_active=True, user__groups__name=COURIERS_GROUP)
        .select_related("user")
        .first()
    )


def _stops():
    return RoundStop.objects.select_related(
        "shop", "shop_order__order__shipping_address", "shop_order__order__user"
    ).order_by("position")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def courier_day(*, courier: Courier, now: datetime.datetime | None = None) -> datetime.date:
    """The day the courier's page shows: today if they have a round today, else the day of
    their next round (so tomorrow's rounds can be looked at tonight), else today."""
    today = timezone.localdate(now)
    upcoming = (
        Round.objects.filter(courier=courier, slot__start__gte=_day_start(today))
        .order_by("slot__start")
        .values_list("slot__start", flat=True)
        .first()
    )
    return timezone.localdate(upcoming) if upcoming else today


def courier_rounds_of_day(*, courier: Courier, day: datetime.date) -> list[Round]:
    """The courier's rounds whose slot starts on `day`, with their stops (`round.stops.all()`)
    and each drop's lines (`stop.lines`): 4 queries whatever the number of stops."""
    start = _day_start(day)
    rounds = list(
        Round.objects.filter(
            courier=courier, slot__start__gte=start, slot__start__lt=start + datetime.timedelta(1)
        )
        .select_related("slot")
        .prefetch_related(Prefetch("stops", _stops()))
        .order_by("slot__start", "pk")
    )
    _attach_lines(stop for round_ in rounds for stop in round_.stops.all())
    return rounds


def _attach_lines(stops) -> None:
    """Each drop's lines (`stop.lines`), each pickup's parcels (`stop.parcels`: the drops of
    its round for that shop), in one query."""
    stops = list(stops)
    drops = [stop for stop in stops if stop.kind == RoundStop.Kind.DROP]
    keys = {(stop.shop_order.order_id, stop.shop_id) for stop in drops}
    lines = defaultdict(list)
    if keys:
        query = Q()
        for order_id, shop_id in keys:
            query |= Q(order_id=order_id, partner_id=shop_id)
        for line in Line.objects.filter(query).order_by("pk"):
            lines[(line.order_id, line.partner_id)].append(line)
    for stop in drops:
        stop.lines = lines[(stop.shop_order.order_id, stop.shop_id)]
    for stop in stops:
        if stop.kind == RoundStop.Kind.PICKUP:
            stop.parcels = [
                drop
                for drop in drops
                if drop.round_id == stop.round_id and drop.shop_id == stop.shop_id
            ]


def next_stop(rounds: list[Round]) -> RoundStop | None:
    """The first stop still to do, in the first round not finished. A drop carries
    `stop.parcels_here`: every parcel still to hand over at that address in this round (the
    shop orders of one order, one per shop), itself first."""
    for round_ in rounds:
        stops = list(round_.stops.all())
        for stop in stops:
            if stop.status == RoundStop.Status.PENDING:
                if stop.kind == RoundStop.Kind.DROP:
                    stop.parcels_here = [stop] + [
                        other
                        for other in stops
                        if other.pk != stop.pk
                        and other.kind == RoundStop.Kind.DROP
                        and other.status == RoundStop.Status.PENDING
                        and other.shop_order.order_id == stop.shop_order.order_id
                    ]
                return stop
    return None


# Staff's board -------------------------------------------------------------------------------


def board_slots(
    *, now: datetime.datetime | None = None, days: int = 7, past: bool = False
) -> list[Slot]:
    """The delivery slots of the next `days` days from today (or, with `past`, of the last
    `days` days before today), with their rounds' progress (`slot.rounds_list`, each with
    `stops_total` / `stops_done` / `stops_failed`): 2 queries."""
    today = _day_start(timezone.localdate(now))
    if past:
        start, end, order = today - datetime.timedelta(days=days), today, "-start"
    else:
        start, end, order = today, today + datetime.timedelta(days=days), "start"
    rounds = Round.objects.select_related("courier__user").annotate(
        stops_total=Count("stops"),
        stops_done=Count("stops", filter=~Q(stops__status=RoundStop.Status.PENDING)),
        stops_failed=Count("stops", filter=Q(stops__status=RoundStop.Status.FAILED)),
    )
    return list(
        Slot.objects.filter(kind=Slot.Kind.DELIVERY, start__gte=start, start__lt=end)
        .prefetch_related(Prefetch("rounds", rounds.order_by("pk"), to_attr="rounds_list"))
        .order_by(order)
    )


def failed_deliveries() -> list[RoundStop]:
    """Failed drops whose shop order still waits for a decision (not yet re-planned)."""
    return list(
        _stops()
        .filter(status=RoundStop.Status.FAILED, replan=False)
        .filter(shop_order__status=ShopOrder.Status.DELIVERY_FAILED)
        .select_related("round__courier__user", "round__slot")
        .order_by("-done_at")[:100]
    )


def open_alerts() -> list[DispatchAlert]:
    return list(DispatchAlert.objects.filter(resolved_at__isnull=True).select_related("slot"))


def round_sheet(*, round_id: int) -> Round:
    """One round with its stops and lines, for the staff's sheet (404 if there is none)."""
    round_ = get_object_or_404(
        Round.objects.select_related("slot", "courier__user").prefetch_related(
            Prefetch("stops", _stops())
        ),
        pk=round_id,
    )
    _attach_lines(round_.stops.all())
    return round_


def round_sheet_other_rounds(*, round_: Round) -> list[Round]:
    """The rounds of the same slot not yet finished, where the sheet's stops may move."""
    others = Round.objects.filter(slot_id=round_.slot_id).exclude(pk=round_.pk)
    return list(others.exclude(status=Round.Status.DONE).select_related("courier__user"))


def delivery_slot_get(*, slot_id: int) -> Slot:
    """A delivery slot whose rounds the board may build; 404 if there is none."""
    return get_object_or_404(Slot, pk=slot_id, kind=Slot.Kind.DELIVERY)


def dispatch_alert_get(*, alert_id: int) -> DispatchAlert:
    """One dispatch alert of the board; 404 if there is none."""
    return get_object_or_404(DispatchAlert, pk=alert_id)


def couriers_active() -> list[Courier]:
    return list(Courier.objects.filter(is_active=True).select_related("user"))


def courier_active_get(*, courier_id: int) -> Courier:
    """A courier on duty, to whom a round may be given; 404 otherwise."""
    return get_object_or_404(Courier.objects.select_related("user"), pk=courier_id, is_active=True)


def couriers_all() -> list[Courier]:
    """Every courier, those on duty first, for the staff's couriers page."""
    couriers = Courier.objects.select_related("user")
    return list(couriers.order_by("-is_active", "user__first_name"))


def courier_get(*, courier_id: int) -> Courier:
    """One courier (on duty or not) for the staff's edit page; 404 if there is none."""
    return get_object_or_404(Courier.objects.select_related("user"), pk=courier_id)


def shop_orders_delivery(*, shop_order_ids: list[int]) -> dict[int, RoundStop]:
    """The latest drop of each shop order (with its round, courier and slot): one query."""
    latest: dict[int, RoundStop] = {}
    stops = (
        RoundStop.objects.filter(shop_order_id__in=shop_order_ids, kind=RoundStop.Kind.DROP)
        .select_related("round__courier__user", "round__slot")
        .order_by("round__slot__start", "pk")
    )
    for stop in stops:
        latest[stop.shop_order_id] = stop
    return latest
