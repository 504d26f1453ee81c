"""The courier's page and the staff's delivery board, through real requests: a courier walks
their round (each action moves the shop orders and writes the resident's e-mail), sees and
touches nothing of another courier's; staff reassign, re-plan and print; others are refused."""

import pytest
from django.urls import reverse

from delivery.dispatch import cutoff_of, rounds_build
from delivery.models import DispatchAlert, Round, RoundStop
from messaging.models import OutboxMessage
from orders.models import ShopOrder
from tests.delivery import courier, delivering_shop, delivery_orders, delivery_slot
from tests.factories import commerce_staff_create, merchant_create

pytestmark = pytest.mark.django_db
HOME = reverse("courier:home")
BOARD = reverse("delivery-board:index")
BOARD_ACTION = reverse("delivery-board:action")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def walk(client, settings):
    """Two shops, two residents; Anna's round holds everything, Bruno has none."""
    shops = [delivering_shop("Fromagerie"), delivering_shop("Librairie")]
    shop_orders = delivery_orders(client, shops, count=2)
    anna = courier("anna@example.fr", capacity=10)
    slot = delivery_slot()
    rounds_build(slot=slot, now=cutoff_of(slot))
    bruno = courier("bruno@example.fr", capacity=10)
    return {"shops": shops, "shop_orders": shop_orders, "anna": anna, "bruno": bruno, "slot": slot}


def stops(kind=None):
    qs = RoundStop.objects.order_by("position")
    return list(qs.filter(kind=kind) if kind else qs)


def act(client, stop, action, **extra):
    return client.post(
        reverse("courier:stop-action", kwargs={"pk": stop.pk}), {"action": action, **extra}
    )


def test_the_courier_walks_the_round_to_the_end(client, walk):
    client.force_login(walk["anna"].user)
    for stop in stops():
        stop.refresh_from_db()
        if stop.status != "pending":
            continue  # handed over with the other parcel for the same address (one stop)
        assert f'data-stop="{stop.pk}"' in client.get(HOME).content.decode()  # the next one
        action = "picked_up" if stop.kind == "pickup" else "delivered"
        response = act(client, stop, action)
        assert response.status_code == 302
    assert set(ShopOrder.objects.values_list("status", flat=True)) == {"delivered"}
    round_ = Round.objects.get()
    assert round_.status == "done" and round_.started_at and round_.finished_at
    told = OutboxMessage.objects.filter(kind="status_changed").count()
    assert told >= 2 * len(walk["shop_orders"])  # handed to the courier, then delivered


def test_a_stop_done_twice_is_refused_and_changes_nothing(client, walk):
    client.force_login(walk["anna"].user)
    pickup = stops("pickup")[0]
    act(client, pickup, "picked_up")
    before = list(ShopOrder.objects.order_by("pk").values_list("status", flat=True))
    response = act(client, pickup, "picked_up")
    assert response.status_code == 302
    assert "déjà traité" in client.get(HOME).content.decode()
    assert list(ShopOrder.objects.order_by("pk").values_list("status", flat=True)) == before


def test_a_drop_before_its_pickup_is_refused(client, walk):
    client.force_login(walk["anna"].user)
    drop = stops("drop")[0]
    act(client, drop, "delivered")
    drop.refresh_from_db()
    assert drop.status == "pending" and drop.shop_order.status == "ready"


def test_another_couriers_stop_is_refused(client, walk):
    client.force_login(walk["bruno"].user)
    pickup = stops("pickup")[0]
    act(client, pickup, "picked_up")
    pickup.refresh_from_db()
    assert pickup.status == "pending"
    page = client.get(HOME).content.decode()
    assert "pas sur vos tournées" in page
    assert "Aucune tournée prévue" in page  # Bruno sees none of Anna's stops
    assert walk["shop_orders"][0].number not in page


def test_a_failed_delivery_needs_a_reason_then_staff_replan_it(client, walk):
    client.force_login(walk["anna"].user)
    for pickup in stops("pickup"):
        act(client, pickup, "picked_up")
    drop = stops("drop")[0]
    act(client, drop, "failed")  # no reason
    drop.refresh_from_db()
    assert drop.status == "pending"
    act(client, drop, "failed", failure="absent")
    drop.refresh_from_db()
    assert (drop.status, drop.failure) == ("failed", "absent")
    assert drop.shop_order.status == "delivery_failed"
    assert drop.shop_order.status_reason == "Client absent"

    client.force_login(commerce_staff_create())
    board = client.get(BOARD).content.decode()
    assert f'data-failed-stop="{drop.pk}"' in board
    client.post(BOARD_ACTION, {"action": "replan", "stop": drop.pk})
    drop.refresh_from_db()
    assert drop.replan


def test_the_courier_page_shows_the_next_stop_with_what_to_do(client, walk):
    client.force_login(walk["anna"].user)
    first = stops()[0]
    page = client.get(HOME)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-stop="{first.pk}"' in html and "Colis récupérés" in html
    for pickup in stops("pickup"):
        act(client, pickup, "picked_up")
    html = client.get(HOME).content.decode()
    assert ("Livré" in html or "Tout est livré" in html) and "Client absent" in html
    assert "tel:" in html
    assert "openstreetmap.org" in html


def test_only_couriers_open_the_courier_page(client, walk):
    assert client.get(HOME)["Location"].startswith(reverse("customer:login"))
    client.force_login(merchant_create(walk["shops"][0]))
    assert client.get(HOME).status_code == 403
    assert act(client, stops()[0], "picked_up").status_code == 403


def test_only_staff_open_the_delivery_board(client, walk):
    for user in (walk["anna"].user, merchant_create(walk["shops"][0])):
        client.force_login(user)
        assert client.get(BOARD).status_code == 403
        assert client.post(BOARD_ACTION, {"action": "build"}).status_code == 403
    client.force_login(commerce_staff_create())
    board = client.get(BOARD)
    assert board.status_code == 200
    round_ = Round.objects.get()
    assert f'data-round="{round_.pk}"' in board.content.decode()
    sheet = client.get(reverse("delivery-board:round", kwargs={"pk": round_.pk}))
    assert sheet.status_code == 200 and "print.css" in sheet.content.decode()


def test_the_board_shows_the_last_days_rounds_read_only(client, walk):
    import datetime

    Round.objects.update(status="done")
    from delivery.models import Slot

    Slot.objects.filter(pk=walk["slot"].pk).update(
        start=walk["slot"].start - datetime.timedelta(days=3),
        end=walk["slot"].end - datetime.timedelta(days=3),
    )
    client.force_login(commerce_staff_create())
    html = client.get(BOARD).content.decode()
    past = html[html.index("data-past-slots") :]
    assert f'data-round="{Round.objects.get().pk}"' in past
    assert 'value="reassign"' not in html and 'value="build"' not in html


def test_staff_reassign_a_round_and_move_a_stop(client, walk):
    client.force_login(commerce_staff_create())
    round_ = Round.objects.get()
    client.post(
        BOARD_ACTION, {"action": "reassign", "round": round_.pk, "courier": walk["bruno"].pk}
    )
    round_.refresh_from_db()
    assert round_.courier == walk["bruno"]

    other = Round.objects.create(slot=walk["slot"], courier=walk["anna"])
    drop = stops("drop")[0]
    client.post(BOARD_ACTION, {"action": "move", "stop": drop.pk, "to_round": other.pk})
    drop.refresh_from_db()
    assert drop.round == other
    kinds = list(other.stops.order_by("position").values_list("kind", flat=True))
    assert kinds == ["pickup", "drop"]  # the new round picks the parcel up first


def test_bad_board_actions_change_nothing(client, walk):
    client.force_login(commerce_staff_create())
    round_ = Round.objects.get()
    for data in (
        {"action": "reassign", "round": round_.pk, "courier": "x"},
        {"action": "move", "stop": 999999, "to_round": round_.pk},
        {"action": "replan", "stop": stops("drop")[0].pk},  # not failed
        {"action": "nope"},
    ):
        assert client.post(BOARD_ACTION, data).status_code in (302, 404)
    round_.refresh_from_db()
    assert round_.courier == walk["anna"]
    assert not RoundStop.objects.filter(replan=True).exists()


def test_staff_resolve_a_dispatch_alert_and_it_leaves_the_board(client, walk):
    alert = DispatchAlert.objects.create(slot=walk["slot"], message="Aucun livreur libre")
    client.force_login(commerce_staff_create())
    assert "Aucun livreur libre" in client.get(BOARD).content.decode()
    missing = client.post(BOARD_ACTION, {"action": "resolve", "alert": alert.pk + 1})
    assert missing.status_code == 404
    alert.refresh_from_db()
    assert alert.resolved_at is None
    assert client.post(BOARD_ACTION, {"action": "resolve", "alert": alert.pk}).status_code == 302
    alert.refresh_from_db()
    first = alert.resolved_at
    assert first is not None
    assert "Aucun livreur libre" not in client.get(BOARD).content.decode()
    client.post(BOARD_ACTION, {"action": "resolve", "alert": alert.pk})  # twice: kept as is
    alert.refresh_from_db()
    assert alert.resolved_at == first


def test_reassigning_a_round_that_is_gone_says_so_and_changes_nothing(client, walk):
    round_ = Round.objects.get()
    client.force_login(commerce_staff_create())
    data = {"action": "reassign", "round": round_.pk + 100, "courier": walk["bruno"].pk}
    response = client.post(BOARD_ACTION, data, follow=True)
    assert "n&#x27;existe plus" in response.content.decode()
    round_.refresh_from_db()
    assert round_.courier == walk["anna"]


def test_the_resident_follows_the_delivery_on_their_order_page(client, walk):
    shop_order = walk["shop_orders"][0]
    client.force_login(shop_order.order.user)
    url = reverse("customer:order", kwargs={"order_number": shop_order.order.number})
    html = client.get(url).content.decode()
    assert "data-delivery-progress" in html and "avec Anna : À faire" in html


def test_the_merchant_sees_the_delivery_of_their_own_shop_order(client, walk):
    shop_order = walk["shop_orders"][0]
    client.force_login(shop_order.shop.users.first())
    kwargs = {"slug": shop_order.shop.code, "number": shop_order.number}
    html = client.get(reverse("shop-orders:detail", kwargs=kwargs)).content.decode()
    assert "data-delivery-progress" in html and "Anna" in html


@pytest.mark.parametrize("residents", [1, 4])
def test_courier_page_and_board_queries_do_not_grow_with_the_stops(
    client, django_assert_max_num_queries, residents
):
    shops = [delivering_shop("Fromagerie"), delivering_shop("Librairie")]
    delivery_orders(client, shops, count=residents)
    anna = courier("anna@example.fr", capacity=20)
    slot = delivery_slot()
    rounds_build(slot=slot, now=cutoff_of(slot))
    round_ = Round.objects.get()
    client.force_login(anna.user)
    with django_assert_max_num_queries(20):
        assert client.get(HOME).status_code == 200
    client.force_login(commerce_staff_create())
    with django_assert_max_num_queries(14):  # the week to come and the week gone: 2 + 2
        assert client.get(BOARD).status_code == 200
    with django_assert_max_num_queries(12):  # 11, and the staff's second-factor device
        assert (
            client.get(reverse("delivery-board:round", kwargs={"pk": round_.pk})).status_code == 200
        )


def test_staff_add_a_courier_and_change_their_days(client, settings):
    from django.contrib.auth import get_user_model

    from delivery.models import Courier

    client.force_login(commerce_staff_create())
    url = reverse("delivery-board:couriers")
    response = client.post(
        url,
        {
            "first_name": "Lina", "last_name": "Moreau", "email": "lina@example.fr",
            "capacity": "20", "working_days": ["0", "2", "4"],
        },
    )  # fmt: skip
    assert response.status_code == 302
    courier = Courier.objects.get(user__email="lina@example.fr")
    assert (courier.capacity, courier.working_days) == (20, "024")
    assert courier.user.groups.filter(name="Livreurs").exists()
    assert not courier.user.has_usable_password()
    assert "Lina Moreau" in client.get(url).content.decode()

    edit = reverse("delivery-board:courier", kwargs={"pk": courier.pk})
    client.post(edit, {"capacity": "12", "working_days": ["5"], "is_active": ""})
    courier.refresh_from_db()
    assert (courier.capacity, courier.working_days, courier.is_active) == (12, "5", False)
    assert get_user_model().objects.filter(email="lina@example.fr").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {
            "first_name": "A",
            "last_name": "B",
            "email": "nope",
            "capacity": "20",
            "working_days": ["0"],
        },
        {
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.fr",
            "capacity": "0",
            "working_days": ["0"],
        },
        {"first_name": "A", "last_name": "B", "email": "a@example.fr", "capacity": "5"},
        {
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.fr",
            "capacity": "5",
            "working_days": ["9"],
        },
    ],
)
def test_a_bad_courier_form_is_refused_and_changes_nothing(client, data):
    from delivery.models import Courier

    client.force_login(commerce_staff_create())
    response = client.post(reverse("delivery-board:couriers"), data)
    assert response.status_code == 400
    assert "a été enregistré : corrigez" in response.content.decode()
    assert not Courier.objects.exists()


def test_only_staff_manage_couriers(client, walk):
    url = reverse("delivery-board:couriers")
    for user in (walk["anna"].user, merchant_create(walk["shops"][0])):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"email": "x@example.fr"}).status_code == 403
