"""Rounds built at a delivery slot's cut-off: couriers within capacity, pickups before drops,
idempotent, never rebuilding a round under way, late orders to the next slot, alerts."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from delivery.dispatch import cutoff_of, rounds_build, rounds_build_due
from delivery.models import DispatchAlert, Round, RoundStop, Slot
from delivery.rounds import stop_picked_up
from messaging.models import OutboxMessage
from orders.models import ShopOrder
from orders.services import shop_order_transition
from tests.delivery import (
    courier,
    delivering_shop,
    delivery_orders,
    delivery_slot,
    rounds_signature,
)
from tests.factories import commerce_staff_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town(client):
    shops = [delivering_shop("Fromagerie"), delivering_shop("Librairie")]
    shop_orders = delivery_orders(client, shops, count=3)
    return {"shops": shops, "shop_orders": shop_orders, "slot": delivery_slot()}


def test_rounds_pick_up_at_the_shops_first_then_drop_within_capacity(town):
    first, second = courier("anna@example.fr", capacity=4), courier("bruno@example.fr", capacity=4)
    result = rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))

    assert not result.unassigned
    drops = RoundStop.objects.filter(kind="drop")
    assert sorted(drops.values_list("shop_order_id", flat=True)) == sorted(
        so.pk for so in town["shop_orders"]
    )
    for round_ in Round.objects.all():
        assert round_.courier in (first, second)
        stops = list(round_.stops.order_by("position"))
        kinds = [stop.kind for stop in stops]
        assert kinds == sorted(kinds, key=lambda kind: kind != "pickup")  # pickups first
        assert [stop.position for stop in stops] == list(range(len(stops)))
        assert sum(kind == "drop" for kind in kinds) <= 4
        picked = {stop.shop_id for stop in stops if stop.kind == "pickup"}
        assert {stop.shop_id for stop in stops if stop.kind == "drop"} == picked


def test_building_twice_gives_the_same_rounds(town):
    courier("anna@example.fr", capacity=4)
    courier("bruno@example.fr", capacity=4)
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))
    first = rounds_signature(town["slot"])
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]) + datetime.timedelta(minutes=30))
    assert rounds_signature(town["slot"]) == first and first


def test_nothing_is_built_before_the_cut_off(town):
    courier("anna@example.fr")
    result = rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]) - datetime.timedelta(1))
    assert result.skipped and not Round.objects.exists()


def test_a_round_under_way_is_never_rebuilt(town):
    anna = courier("anna@example.fr", capacity=10)
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))
    round_ = Round.objects.get()
    first_stop = round_.stops.order_by("position").first()
    stop_picked_up(stop_id=first_stop.pk, courier=anna)
    before = rounds_signature(town["slot"])

    courier("bruno@example.fr", capacity=10)
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))

    assert rounds_signature(town["slot"]) == before
    assert Round.objects.get().status == Round.Status.UNDER_WAY


def test_an_order_ready_after_the_cut_off_goes_to_the_next_slot(client, town):
    courier("anna@example.fr", capacity=10)
    late = town["shop_orders"][0]
    slot = town["slot"]
    late.events.filter(to_status="ready").update(
        created_at=cutoff_of(slot) + datetime.timedelta(minutes=5)
    )
    rounds_build(slot=slot, now=cutoff_of(slot) + datetime.timedelta(minutes=10))
    assert not RoundStop.objects.filter(shop_order=late).exists()

    next_slot = Slot.objects.create(
        kind="delivery", start=slot.start + datetime.timedelta(hours=4),
        end=slot.end + datetime.timedelta(hours=4), capacity=20,
    )  # fmt: skip
    rounds_build(slot=next_slot, now=cutoff_of(next_slot))
    assert RoundStop.objects.get(shop_order=late).round.slot == next_slot


def test_no_courier_alerts_staff_and_loses_nothing(
    town, django_capture_on_commit_callbacks, eager_celery
):
    commerce_staff_create(email="mairie@example.fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))

    assert not Round.objects.exists()
    assert len(result.unassigned) == len(town["shop_orders"])
    alert = DispatchAlert.objects.get()
    assert "Aucun livreur" in alert.message and alert.shop_orders == len(town["shop_orders"])
    assert [m.to for m in mail.outbox] == [["mairie@example.fr"]]
    assert OutboxMessage.objects.get(kind="dispatch_alert").sent_at is not None
    assert set(ShopOrder.objects.values_list("status", flat=True)) == {"ready"}

    courier("anna@example.fr", capacity=10)  # staff add one and rebuild: alert closed
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))
    assert RoundStop.objects.filter(kind="drop").count() == len(town["shop_orders"])
    assert DispatchAlert.objects.get().resolved_at is not None


def test_parcels_beyond_the_capacity_wait_for_the_next_slot(town):
    courier("anna@example.fr", capacity=2)
    result = rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))
    assert RoundStop.objects.filter(kind="drop").count() == 2
    assert len(result.unassigned) == len(town["shop_orders"]) - 2
    assert "capacité" in DispatchAlert.objects.get().message


def test_a_courier_who_does_not_work_that_day_gets_no_round(town):
    day = str(timezone.localtime(town["slot"].start).weekday())
    courier("anna@example.fr", days="0123456".replace(day, ""))
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))
    assert not Round.objects.exists() and DispatchAlert.objects.exists()


def test_due_slots_are_built_once(town):
    courier("anna@example.fr", capacity=10)
    before = cutoff_of(town["slot"]) - datetime.timedelta(minutes=1)
    assert rounds_build_due(now=before) == 0
    now = cutoff_of(town["slot"])  # due from its cut-off on, to the minute
    assert rounds_build_due(now=now) == 1
    assert rounds_build_due(now=now) == 0  # built once: beat running again changes nothing
    assert Round.objects.count() == 1


def test_a_cancelled_order_is_not_delivered(town):
    courier("anna@example.fr", capacity=10)
    cancelled = town["shop_orders"][0]
    shop_order_transition(shop_order=cancelled, to_status="cancelled", reason="Rupture")
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))
    assert not RoundStop.objects.filter(shop_order=cancelled).exists()


def test_an_order_cancelled_after_the_build_leaves_its_round(town):
    anna = courier("anna@example.fr", capacity=10)
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))
    cancelled = town["shop_orders"][0]
    shop_order_transition(shop_order=cancelled, to_status="cancelled", reason="Rupture")
    assert not RoundStop.objects.filter(shop_order=cancelled).exists()
    # The courier's pickups still work for everything else.
    for pickup in RoundStop.objects.filter(kind="pickup").order_by("position"):
        stop_picked_up(stop_id=pickup.pk, courier=anna)
    others = ShopOrder.objects.exclude(pk=cancelled.pk).values_list("status", flat=True)
    assert set(others) == {"handed_to_courier"}


def test_a_shop_left_without_parcels_leaves_the_round_too(client):
    shops = [delivering_shop("Fromagerie"), delivering_shop("Librairie")]
    shop_orders = delivery_orders(client, shops, count=1)
    courier("anna@example.fr", capacity=10)
    slot = delivery_slot()
    rounds_build(slot=slot, now=cutoff_of(slot))
    books = next(so for so in shop_orders if so.shop == shops[1])
    shop_order_transition(shop_order=books, to_status="cancelled", reason="Rupture")
    assert set(RoundStop.objects.values_list("shop_id", flat=True)) == {shops[0].pk}


def test_one_order_from_two_shops_is_one_stop_and_one_hand_over(town):
    """One delivery, one stop (issue 15, §2): the shop orders of one order (one address, one
    slot) ride with the same courier, one after the other at the same place, and "Livré"
    hands over every parcel there."""
    from delivery.rounds import stop_delivered

    anna = courier("anna@example.fr", capacity=4)
    courier("bruno@example.fr", capacity=4)
    rounds_build(slot=town["slot"], now=cutoff_of(town["slot"]))
    drops = list(RoundStop.objects.filter(kind="drop").select_related("shop_order"))
    by_order = {}
    for drop in drops:
        by_order.setdefault(drop.shop_order.order_id, []).append(drop)
    assert len(by_order) == 3 and all(len(pair) == 2 for pair in by_order.values())
    for first, second in by_order.values():
        assert first.round_id == second.round_id
        assert abs(first.position - second.position) == 1
        assert (first.latitude, first.longitude) == (second.latitude, second.longitude)
        assert first.shop_id != second.shop_id

    round_ = Round.objects.get(courier=anna) if Round.objects.filter(courier=anna) else None
    round_ = round_ or Round.objects.first()
    for pickup in round_.stops.filter(kind="pickup"):
        stop_picked_up(stop_id=pickup.pk, courier=round_.courier)
    first_drop = round_.stops.filter(kind="drop").order_by("position").first()
    stop_delivered(stop_id=first_drop.pk, courier=round_.courier)
    order_id = first_drop.shop_order.order_id
    both = RoundStop.objects.filter(shop_order__order_id=order_id).select_related("shop_order")
    assert {(s.status, s.shop_order.status) for s in both} == {("done", "delivered")}
    others = round_.stops.filter(kind="drop").exclude(shop_order__order_id=order_id)
    assert set(others.values_list("status", flat=True)) <= {"pending"}
