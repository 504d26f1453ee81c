"""Pickup and delivery slots: what is offered, booking, release, and capacity under load."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from delivery.models import Slot, SlotBooking
from delivery.selectors import delivery_slots_available, pickup_slots_by_shop
from delivery.services import slot_book, slot_release
from tests.clock import coming_monday
from tests.factories import ClosingPeriodFactory, OpeningHoursFactory, ShopFactory, week_hours

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MONDAY = coming_monday()  # every test passes its own `now` on that day
PICKUP, DELIVERY = Slot.Kind.PICKUP, Slot.Kind.DELIVERY


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(PARIS)


def pickup_slots_available(*, shop, **when) -> list:
    """One shop's pickup slots, as the checkout asks for them (several shops at once)."""
    return pickup_slots_by_shop(shops=[shop], **when)[shop.pk]


@pytest.fixture
def shop():
    """Monday to Saturday 9 h–12 h and 14 h–19 h; 60 min lead, 30 min slots, 4 per slot."""
    shop = ShopFactory()
    week_hours(shop)
    return shop


def book(shop, start, reference, now=None):
    return slot_book(kind=PICKUP, shop=shop, start=start, reference=reference, now=now)


def refusal(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


def test_pickup_slots_lie_within_opening_hours(shop):
    options = pickup_slots_available(shop=shop, now=at(MONDAY, 7))
    assert options
    for option in options:
        start, end = local(option.start), local(option.end)
        assert start.weekday() < 6, "no slot on Sunday"
        assert (9 <= start.hour < 12 and end.time() <= datetime.time(12)) or (
            14 <= start.hour and end.time() <= datetime.time(19)
        )
        assert end - start == datetime.timedelta(minutes=30)
    monday = [o for o in options if local(o.start).date() == MONDAY]
    assert len(monday) == 6 + 10
    assert {o.capacity for o in options} == {4}


def test_pickup_slots_are_aligned_on_the_slot_length():
    shop = ShopFactory(pickup_slot_minutes=20)
    OpeningHoursFactory(shop=shop, weekday=0, opens=datetime.time(9, 5), closes=datetime.time(10))
    options = pickup_slots_available(shop=shop, now=at(MONDAY, 6))
    assert [f"{local(o.start):%H:%M}" for o in options] == ["09:20", "09:40"]


def test_pickup_slots_are_not_offered_on_a_closing_period(shop):
    tuesday, wednesday = MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=2)
    ClosingPeriodFactory(shop=shop, starts_on=tuesday, ends_on=wednesday)
    days = {local(o.start).date() for o in pickup_slots_available(shop=shop, now=at(MONDAY, 7))}
    assert MONDAY in days and MONDAY + datetime.timedelta(days=3) in days
    assert tuesday not in days and wednesday not in days


def test_pickup_slots_start_no_earlier_than_the_lead_time(shop):
    options = pickup_slots_available(shop=shop, now=at(MONDAY, 10, 7))
    assert local(options[0].start) == at(MONDAY, 11, 30)  # 10 h 07 + 60 min, next slot
    shop.pickup_lead_minutes = 24 * 60
    options = pickup_slots_available(shop=shop, now=at(MONDAY, 10, 7))
    assert local(options[0].start) == at(MONDAY + datetime.timedelta(days=1), 10, 30)


def test_pickup_slots_stop_after_the_horizon(shop):
    options = pickup_slots_available(shop=shop, now=at(MONDAY, 7), days=2)
    assert {local(o.start).date() for o in options} == {MONDAY, MONDAY + datetime.timedelta(1)}


def test_shop_without_click_and_collect_offers_no_pickup_slot(shop):
    shop.offers_click_collect = False
    assert pickup_slots_available(shop=shop, now=at(MONDAY, 7)) == []


def test_full_slot_is_neither_offered_nor_bookable(shop):
    now, start = at(MONDAY, 7), at(MONDAY, 10)
    for n in range(4):
        book(shop, start, f"R{n}", now)
    assert start not in [o.start for o in pickup_slots_available(shop=shop, now=now)]
    with pytest.raises(ValidationError) as error:
        book(shop, start, "R5", now)
    assert error.value.code == "slot_full"
    assert "Ce créneau est complet" in refusal(error)
    assert Slot.objects.get(shop=shop, start=start).booked == 4


def test_partly_booked_slot_is_offered_with_its_remaining_places(shop):
    now, start = at(MONDAY, 7), at(MONDAY, 10)
    book(shop, start, "R1", now)
    option = next(o for o in pickup_slots_available(shop=shop, now=now) if o.start == start)
    assert (option.booked, option.remaining) == (1, 3)


@pytest.mark.parametrize(
    "start",
    [at(MONDAY, 9), at(MONDAY, 12, 30), at(MONDAY, 10, 10), at(MONDAY + datetime.timedelta(6), 10)],
    ids=["expired-by-lead-time", "lunch-break", "not-aligned", "sunday"],
)
def test_slot_not_offered_is_refused(shop, start):
    with pytest.raises(ValidationError) as error:
        book(shop, start, "R1", now=at(MONDAY, 8, 30))
    assert error.value.code == "slot_unavailable"
    assert "Ce créneau n'est plus disponible" in refusal(error)
    assert not Slot.objects.exists()


def test_booking_twice_with_the_same_reference_takes_one_place(shop):
    now, start = at(MONDAY, 7), at(MONDAY, 10)
    first = book(shop, start, "DX-1001", now)
    again = book(shop, start, "DX-1001", now)
    late_retry = book(shop, start, "DX-1001", now=at(MONDAY, 11))  # slot gone by since
    assert first.pk == again.pk == late_retry.pk
    assert Slot.objects.get().booked == 1
    assert SlotBooking.objects.count() == 1


def test_an_order_cannot_hold_two_slots(shop):
    now = at(MONDAY, 7)
    book(shop, at(MONDAY, 10), "DX-1001", now)
    with pytest.raises(ValidationError) as error:
        book(shop, at(MONDAY, 11), "DX-1001", now)
    assert error.value.code == "already_booked"


def test_release_frees_the_place_once(shop):
    now, start = at(MONDAY, 7), at(MONDAY, 10)
    for n in range(4):
        book(shop, start, f"R{n}", now)
    assert slot_release(reference="R0") == 1
    assert slot_release(reference="R0") == 0
    assert Slot.objects.get().booked == 3
    assert start in [o.start for o in pickup_slots_available(shop=shop, now=now)]
    book(shop, start, "R9", now)
    assert Slot.objects.get().booked == 4


def test_delivery_slots_are_town_wide_and_close_at_the_cut_off():
    options = delivery_slots_available(now=at(MONDAY, 8, 30))
    assert [f"{local(o.start):%H:%M}" for o in options[:3]] == ["14:00", "17:00", "10:00"]
    assert all(o.shop_id is None and o.capacity == 20 for o in options)
    assert all(local(o.start).weekday() < 6 for o in options)
    with pytest.raises(ValidationError, match="plus disponible"):
        slot_book(
            kind=DELIVERY, shop=None, start=at(MONDAY, 10), reference="L1", now=at(MONDAY, 8, 30)
        )


def test_delivery_booking_ignores_the_shop_and_shares_one_slot(shop):
    now, start = at(MONDAY, 8), at(MONDAY, 14)
    slot_book(kind=DELIVERY, shop=shop, start=start, reference="L1", now=now)
    slot_book(kind=DELIVERY, shop=None, start=start, reference="L2", now=now)
    slot = Slot.objects.get()
    assert (slot.shop_id, slot.booked) == (None, 2)
    option = next(o for o in delivery_slots_available(now=now) if o.start == start)
    assert option.remaining == 18


def test_pickup_slots_query_count_does_not_grow_with_booked_slots(shop):
    now = at(MONDAY, 7)

    def queries_with_slots(count: int) -> int:
        Slot.objects.all().delete()
        starts = [o.start for o in pickup_slots_available(shop=shop, now=now)][:count]
        Slot.objects.bulk_create(
            Slot(
                kind=PICKUP,
                shop=shop,
                start=s,
                end=s + datetime.timedelta(minutes=30),
                capacity=4,
                booked=1,
            )
            for s in starts
        )
        with CaptureQueriesContext(connection) as captured:
            options = pickup_slots_available(shop=shop, now=now)
        assert sum(o.booked for o in options) == count
        return len(captured)

    assert queries_with_slots(2) == queries_with_slots(20) <= 3


def test_database_refuses_more_bookings_than_capacity(shop):
    slot = Slot.objects.create(
        kind=PICKUP, shop=shop, start=at(MONDAY, 10), end=at(MONDAY, 10, 30), capacity=2
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=3)


def test_database_refuses_a_second_town_wide_slot_at_the_same_time():
    fields = {"kind": DELIVERY, "start": at(MONDAY, 10), "end": at(MONDAY, 12), "capacity": 20}
    Slot.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(**fields)


@pytest.mark.parametrize(
    "fields",
    [{"pickup_slot_minutes": 0}, {"pickup_slot_capacity": 0}, {"pickup_lead_minutes": 20000}],
)
def test_database_refuses_absurd_pickup_settings(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ShopFactory(**fields)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_exceed_capacity(on_postgres):
    shop = ShopFactory(pickup_slot_capacity=3)
    week_hours(shop)
    now, start = at(MONDAY, 7), at(MONDAY, 10)
    barrier = threading.Barrier(10)
    outcomes: list = []

    def attempt(n: int) -> None:
        try:
            barrier.wait()
            outcomes.append(book(shop, start, f"R{n}", now))
        except Exception as error:  # noqa: BLE001 - every outcome is asserted below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    booked = [o for o in outcomes if isinstance(o, SlotBooking)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(booked) == 3, outcomes
    assert len(refused) == 7, outcomes
    assert {e.code for e in refused} == {"slot_full"}
    slot = Slot.objects.get()
    assert (slot.booked, slot.capacity, slot.bookings.count()) == (3, 3, 3)
