"""A week of past activity for the demo town: couriers, residents, orders from the live shops,
click & collect and deliveries, and the rounds that carried them, so the delivery board and the
town's console show real-looking figures on first run.

Orders are placed through Oscar's OrderCreator (ours: split by shop, stock allocated), then
moved back in time: each shop order gets its slot on a past day and its history (events at
past times), delivery slots get their rounds built by `dispatch.rounds_build` at their cut-off,
and each round is walked stop by stop (a few residents absent, a few parcels late). Statuses
are written directly, not through the workflow: the past needs no e-mail. Deterministic for a
seed; done once (a town that already has orders is left alone).
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from delivery.dispatch import cutoff_of, rounds_build
from delivery.models import Courier, Round, RoundStop, Slot
from delivery.rounds import courier_create
from delivery.windows import DELIVERY_SLOT_CAPACITY, delivery_windows
from messaging.models import OutboxMessage
from orders import workflow
from orders.models import ShopOrder, ShopOrderEvent
from shops.demo.accounts import DOMAIN, PASSWORD
from shops.services.offers import basket_offer_add

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
Strategy = get_class("partner.strategy", "Selector")
Status = ShopOrder.Status

# (first name, last name, parcels per round, working days: 0 is Monday): two couriers take
# turns, the third stands in when a slot holds more than one can carry.
COURIERS = (
    ("Karim", "Benali", 25, "024"),
    ("Julie", "Rossi", 25, "135"),
    ("Marc", "Favre", 15, "012345"),
)
STREETS = (
    "rue de Genève", "avenue du Grand Port", "boulevard des Côtes", "rue Davat",
    "avenue de Tresserve", "chemin des Bateliers", "rue du Casino", "avenue de Marlioz",
    "rue Lamartine", "boulevard Wilson", "rue de Chambéry", "avenue Victoria",
)  # fmt: skip
FIRST_NAMES = ("Camille", "Louis", "Chloé", "Hugo", "Léa", "Nathan", "Manon", "Jules", "Inès")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Girard", "Bonnet", "Mercier", "Blanc", "Roux")


@dataclass
class ActivitySeed:
    orders: int = 0
    shop_orders: int = 0
    rounds: int = 0
    couriers: int = 0


def couriers_seed() -> list[Courier]:
    """Three couriers (livreur-1@…): created once."""
    User = get_user_model()
    couriers = []
    for n, (first, last, capacity, days) in enumerate(COURIERS, start=1):
        email = f"livreur-{n}@{DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"username": email[:30], "first_name": first, "last_name": last},
        )
        if created:
            user.password = make_password(PASSWORD)
            user.save(update_fields=["password"])
        couriers.append(courier_create(user=user, capacity=capacity, working_days=days))
    return couriers


def activity_seed(*, seed: int = 42, days: int = 7, per_day: int = 12, now=None) -> ActivitySeed:
    """The last `days` days of orders and deliveries (see the module's docstring)."""
    result = ActivitySeed(couriers=len(couriers_seed()))
    if Order.objects.exists():
        return result
    now = now or timezone.now()
    rng = random.Random(seed)
    shops = list(
        Partner.objects.filter(status="live", stockrecords__is_on_sale=True)
        .distinct()
        .order_by("pk")
    )
    if not shops:
        return result
    residents = _residents(rng)
    today = timezone.localdate(now)
    with transaction.atomic():
        for back in range(days, 0, -1):
            day = today - datetime.timedelta(days=back)
            if day.weekday() == 6:
                continue  # Sunday: the shops are closed
            for _n in range(per_day):
                order = _order(rng, day, rng.choice(residents), shops)
                if order is None:
                    continue
                result.orders += 1
                result.shop_orders += order.shop_orders.count()
        result.rounds = _deliveries(rng, today)
        for order in Order.objects.prefetch_related("shop_orders"):
            status = workflow.order_status_for(so.status for so in order.shop_orders.all())
            Order.objects.filter(pk=order.pk).update(status=status)
        # The past sends no e-mail: the outbox rows written by the placements count as sent.
        OutboxMessage.objects.filter(sent_at__isnull=True).update(sent_at=now)
    return result


def _residents(rng) -> list:
    User = get_user_model()
    residents = []
    for n in range(1, 16):
        email = f"habitant-{n:02d}@{DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "username": email[:30],
                "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
                "last_name": LAST_NAMES[n % len(LAST_NAMES)],
            },
        )
        if created:
            user.password = make_password(PASSWORD)
            user.save(update_fields=["password"])
        user.street = f"{rng.randint(1, 60)} {rng.choice(STREETS)}"
        residents.append(user)
    return residents


def _order(rng, day, resident, shops):
    """One past order from one or two shops, each shop's part collected or delivered."""
    basket = Basket.objects.create(owner=resident)
    basket.strategy = Strategy().strategy(user=resident)
    chosen = rng.sample(shops, k=min(len(shops), rng.choice((1, 1, 2))))
    for shop in chosen:
        offers = list(
            shop.stockrecords.filter(is_on_sale=True)
            .filter(num_in_stock__gt=Coalesce("num_allocated", 0) + 2)
            .order_by("pk")[:20]
        )
        for offer in rng.sample(offers, k=min(len(offers), rng.choice((1, 2)))):
            basket_offer_add(basket=basket, stockrecord=offer, quantity=1)
    if basket.is_empty:
        return None
    address = ShippingAddress.objects.create(
        first_name=resident.first_name, last_name=resident.last_name, line1=resident.street,
        line4="Aix-les-Bains", postcode="73100", country=Country.objects.get(pk="FR"),
        phone_number="+33612345678",
    )  # fmt: skip
    order = create_order(basket=basket, user=resident, shipping_address=address)
    placed = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randint(7, 9), rng.randint(0, 59)))
    )
    Order.objects.filter(pk=order.pk).update(date_placed=placed)
    for shop_order in order.shop_orders.select_related("shop"):
        delivery = shop_order.shop.offers_delivery and rng.random() < 0.6
        _past(rng, shop_order, day, placed, delivery)
    order.status = workflow.order_status_for(order.shop_orders.values_list("status", flat=True))
    Order.objects.filter(pk=order.pk).update(status=order.status)
    return order


def _past(rng, shop_order, day, placed, delivery: bool) -> None:
    """Give a shop order its past slot and history: delivery ones stop at "ready" (the
    rounds take them on), click & collect ones are collected (a few refused)."""
    if delivery:
        start, end = rng.choice(delivery_windows(earliest=_at(day, 0), until=_at(day, 24)))
        fulfilment, final = ShopOrder.Fulfilment.DELIVERY, Status.READY
        ready_at = start - datetime.timedelta(hours=2, minutes=30)
    else:
        start = _at(day, rng.choice((10, 11, 15, 16, 17)))
        end = start + datetime.timedelta(minutes=30)
        fulfilment, ready_at = (
            ShopOrder.Fulfilment.CLICK_COLLECT,
            placed + datetime.timedelta(hours=1),
        )
        final = Status.REFUSED if rng.random() < 0.05 else Status.COLLECTED
    steps = [(Status.NEW, Status.ACCEPTED, placed + datetime.timedelta(minutes=20))]
    if final == Status.REFUSED:
        steps = [(Status.NEW, Status.REFUSED, placed + datetime.timedelta(minutes=20))]
    else:
        steps.append((Status.ACCEPTED, Status.READY, min(ready_at, start)))
        if final == Status.COLLECTED:
            steps.append((Status.READY, Status.COLLECTED, start + datetime.timedelta(minutes=10)))
    ShopOrderEvent.objects.bulk_create(
        ShopOrderEvent(
            shop_order=shop_order,
            from_status=a,
            to_status=b,
            created_at=at,
            reason="Rupture de stock" if b == Status.REFUSED else "",
        )  # fmt: skip
        for a, b, at in steps
    )
    ShopOrder.objects.filter(pk=shop_order.pk).update(
        fulfilment=fulfilment, status=final, slot_start=start, slot_end=end, created_at=placed,
        status_reason="Rupture de stock" if final == Status.REFUSED else "",
        is_paid=final == Status.COLLECTED, paid_at=start if final == Status.COLLECTED else None,
    )  # fmt: skip


def _at(day, hour: int) -> datetime.datetime:
    if hour >= 24:
        return timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(1), datetime.time())
        )
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _deliveries(rng, today) -> int:
    """Build each past delivery slot's rounds at its cut-off and walk them."""
    starts = sorted(
        set(
            ShopOrder.objects.filter(fulfilment=ShopOrder.Fulfilment.DELIVERY).values_list(
                "slot_start", "slot_end"
            )
        )
    )
    rounds = 0
    for start, end in starts:
        booked = ShopOrder.objects.filter(fulfilment="delivery", slot_start=start).count()
        slot, _created = Slot.objects.get_or_create(
            kind=Slot.Kind.DELIVERY, shop=None, start=start,
            defaults={"end": end, "capacity": DELIVERY_SLOT_CAPACITY,
                      "booked": min(booked, DELIVERY_SLOT_CAPACITY)},
        )  # fmt: skip
        for round_ in rounds_build(slot=slot, now=cutoff_of(slot)).rounds:
            _walk(rng, round_)
            rounds += 1
    return rounds


def _walk(rng, round_: Round) -> None:
    """The courier's past walk: every stop done in order across the slot, about 6 % of the
    residents absent, about 1 in 10 rounds late."""
    slot = round_.slot
    late = rng.random() < 0.1
    span = (slot.end - slot.start) * (1.2 if late else 0.9)
    stops = list(round_.stops.select_related("shop_order").order_by("position"))
    events = []
    for n, stop in enumerate(stops, start=1):
        at = slot.start + span * n / len(stops)
        failed = stop.kind == RoundStop.Kind.DROP and rng.random() < 0.06
        stop.status = RoundStop.Status.FAILED if failed else RoundStop.Status.DONE
        stop.failure, stop.done_at = (RoundStop.Failure.ABSENT if failed else ""), at
        if stop.kind == RoundStop.Kind.PICKUP:
            for drop in stops:
                if drop.kind == RoundStop.Kind.DROP and drop.shop_id == stop.shop_id:
                    events.append((drop.shop_order, Status.READY, Status.HANDED_TO_COURIER, at, ""))
        else:
            final = Status.DELIVERY_FAILED if failed else Status.DELIVERED
            events.append(
                (
                    stop.shop_order,
                    Status.HANDED_TO_COURIER,
                    final,
                    at,
                    "Client absent" if failed else "",
                )
            )
    RoundStop.objects.bulk_update(stops, ["status", "failure", "done_at"])
    ShopOrderEvent.objects.bulk_create(
        ShopOrderEvent(shop_order=so, from_status=a, to_status=b, created_at=at, reason=why)
        for so, a, b, at, why in events
    )
    for so, _a, b, at, why in events:
        if b != Status.HANDED_TO_COURIER:
            ShopOrder.objects.filter(pk=so.pk).update(
                status=b, status_reason=why, is_paid=b == Status.DELIVERED,
                paid_at=at if b == Status.DELIVERED else None,
            )  # fmt: skip
    Round.objects.filter(pk=round_.pk).update(
        status=Round.Status.DONE, started_at=slot.start, finished_at=stops[-1].done_at
    )
