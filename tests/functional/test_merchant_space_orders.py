"""The merchant's order screens in their space (/ma-boutique/<code>/commandes/...): one
shop's list, order page, preparation slip and pickup list, through real requests.

Each screen shows one shop's orders only (another shop's number: 404, even for a merchant of
both); a click & collect order never shows the resident's home address; "Retirée et payée"
is one action. Slots are computed from today (tests/shop_orders.py): time-touching module.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from messaging.models import OutboxMessage
from orders.models import OrderPayment, ShopOrder, ShopOrderEvent
from orders.services import shop_order_transition
from tests.factories import ShopFactory, commerce_staff_create, merchant_create
from tests.shop_orders import HOME, shop_order_place, slot_at

pytestmark = pytest.mark.django_db

CC, DELIVERY = ShopOrder.Fulfilment.CLICK_COLLECT, ShopOrder.Fulfilment.DELIVERY


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town():
    """The bakery (its merchant also works for the cheese shop) and the cheese shop."""
    bakery, cheese = ShopFactory(name="Boulangerie"), ShopFactory(name="Fromagerie")
    baker = merchant_create(bakery, cheese, email="boulanger@example.fr")
    cheesemonger = merchant_create(cheese, email="fromager@example.fr")
    return {"bakery": bakery, "cheese": cheese, "baker": baker, "cheesemonger": cheesemonger}


def url(name, shop, shop_order=None, **params):
    kwargs = {"slug": shop.code}
    if shop_order is not None:
        kwargs["number"] = shop_order.number
    return reverse(f"shop-orders:{name}", kwargs=kwargs)


def move(shop_order, *statuses):
    for status in statuses:
        shop_order = shop_order_transition(shop_order=shop_order, to_status=status)
    return shop_order


def test_each_shops_list_shows_its_own_orders_only(client, town):
    bread = shop_order_place(town["bakery"])
    brie = shop_order_place(town["cheese"])
    client.force_login(town["baker"])
    html = client.get(url("list", town["bakery"])).content.decode()
    assert f'data-shop-order="{bread.number}"' in html
    assert brie.number not in html
    client.force_login(town["cheesemonger"])
    assert client.get(url("list", town["bakery"])).status_code == 404  # not their shop


@pytest.mark.parametrize("name", ["detail", "slip"])
def test_another_shops_order_number_is_not_found_on_every_order_url(client, town, name):
    brie = shop_order_place(town["cheese"])
    client.force_login(town["baker"])  # works for both shops: still one shop per screen
    assert client.get(url(name, town["bakery"], brie)).status_code == 404
    assert client.post(url(name, town["bakery"], brie), {"action": "accepted"}).status_code in (
        404,
        405,
    )
    brie.refresh_from_db()
    assert brie.status == "new" and not ShopOrderEvent.objects.exists()
    assert client.get(url(name, town["cheese"], brie)).status_code == 200


def test_residents_visitors_and_town_staff_are_kept_out(client, town):
    bread = shop_order_place(town["bakery"])
    urls = [
        url("list", town["bakery"]),
        url("pickups", town["bakery"]),
        url("detail", town["bakery"], bread),
        url("slip", town["bakery"], bread),
        reverse("space:today-poll", args=[town["bakery"].code]),
    ]
    for page in urls:
        assert client.get(page)["Location"].startswith(reverse("dashboard:login")), page
    client.force_login(get_user_model().objects.create_user("habitant", "h@example.fr", "x"))
    assert [client.get(page).status_code for page in urls] == [403] * len(urls)
    client.force_login(commerce_staff_create())
    assert [client.get(page).status_code for page in urls] == [403] * len(urls)


def test_a_click_and_collect_order_never_shows_the_residents_address(client, town):
    bread = shop_order_place(town["bakery"], slot_start=slot_at(hour=11))
    client.force_login(town["baker"])
    pages = {
        "list": client.get(url("list", town["bakery"])),
        "detail": client.get(url("detail", town["bakery"], bread)),
        "slip": client.get(url("slip", town["bakery"], bread)),
        "pickups": client.get(url("pickups", town["bakery"])),
        "today": client.get(reverse("space:today", args=[town["bakery"].code])),
    }
    for name, page in pages.items():
        html = page.content.decode()
        assert page.status_code == 200, name
        assert bread.number in html and "Camille Martin" in html, name
        for part in HOME.values():
            assert part not in html, (name, part)
    assert "06 12 34 56 78" in pages["detail"].content.decode()  # how to reach them


def test_a_delivery_order_shows_where_it_goes(client, town):
    parcel = shop_order_place(town["bakery"], fulfilment=DELIVERY, slot_start=slot_at(hour=15))
    client.force_login(town["baker"])
    for name in ("detail", "slip"):
        html = client.get(url(name, town["bakery"], parcel)).content.decode()
        assert "data-delivery-address" in html and HOME["line1"] in html, name


def test_collected_and_paid_is_one_action_with_the_usual_email(client, town):
    bread = move(shop_order_place(town["bakery"]), "accepted", "ready")
    client.force_login(town["baker"])
    detail = url("detail", town["bakery"], bread)
    assert 'data-action="collected_paid"' in client.get(detail).content.decode()

    response = client.post(detail, {"action": "collected_paid", "seen": "ready"})

    assert response.status_code == 302 and response["Location"] == detail
    bread.refresh_from_db()
    assert (bread.status, bread.is_paid) == ("collected", True) and bread.paid_at
    events = ShopOrderEvent.objects.filter(shop_order=bread).order_by("pk")
    assert [(e.to_status, e.actor) for e in events][-2:] == [
        ("collected", town["baker"]),
        ("collected", town["baker"]),  # the payment, recorded by the same hand
    ]
    collected_event = events.filter(from_status="ready").get()
    assert OutboxMessage.objects.filter(
        kind="status_changed", object_id=collected_event.pk
    ).exists()
    html = client.get(detail).content.decode()
    assert "Plus rien à faire" in html and 'data-paid="true"' in html


def test_collected_and_paid_on_a_stale_page_changes_nothing(client, town):
    bread = move(shop_order_place(town["bakery"]), "accepted")
    client.force_login(town["baker"])
    response = client.post(
        url("detail", town["bakery"], bread), {"action": "collected_paid", "seen": "ready"}
    )
    assert response.status_code == 400
    bread.refresh_from_db()
    assert (bread.status, bread.is_paid) == ("accepted", False)


def test_a_card_paid_order_is_only_marked_collected(client, town):
    bread = move(shop_order_place(town["bakery"]), "accepted", "ready")
    OrderPayment.objects.create(
        order=bread.order,
        session_id="cs_test_1",
        amount_cents=450,
        status="paid",
        charge_id="ch_1",
        paid_at=bread.created_at,
    )
    client.force_login(town["baker"])
    detail = url("detail", town["bakery"], bread)
    html = client.get(detail).content.decode()
    assert 'data-action="collected"' in html and 'data-action="collected_paid"' not in html
    assert client.post(detail, {"action": "collected_paid", "seen": "ready"}).status_code == 400
    bread.refresh_from_db()
    assert bread.status == "ready"


def test_the_list_filters_by_status_mode_and_slot_day_and_searches(client, town):
    shop = town["bakery"]
    today = shop_order_place(shop, slot_start=slot_at(hour=9), customer=("Léa", "Dubois"))
    tomorrow = shop_order_place(shop, slot_start=slot_at(days=1), customer=("Jean", "Roux"))
    later = shop_order_place(shop, fulfilment=DELIVERY, slot_start=slot_at(days=9))
    done = move(shop_order_place(shop), "accepted", "ready", "collected")
    client.force_login(town["baker"])

    def shown(**params):
        html = client.get(url("list", shop), params).content.decode()
        return {so.number for so in (today, tomorrow, later, done) if so.number in html}

    assert shown() == {today.number, tomorrow.number, later.number}  # still to handle
    assert shown(status="") == {today.number, tomorrow.number, later.number, done.number}
    assert shown(status="collected") == {done.number}
    assert shown(fulfilment="delivery") == {later.number}
    assert shown(day="today") == {today.number}
    assert shown(day="tomorrow") == {tomorrow.number}
    assert shown(q="dubois") == {today.number}
    assert shown(q="jean roux") == {tomorrow.number}
    assert shown(status="", q=done.number) == {done.number}
    bad = client.get(url("list", shop), {"day": "hier", "status": "nope"})
    assert bad.status_code == 200
    assert "Rien n&#x27;a été enregistré" in bad.content.decode() or "corrigez" in (
        bad.content.decode()
    )


def test_the_list_shows_french_prices_and_an_empty_state(client, town):
    client.force_login(town["baker"])
    empty = client.get(url("list", town["bakery"])).content.decode()
    assert "data-empty" in empty and "Aucune commande à traiter" in empty
    shop_order_place(town["bakery"], quantity=3)  # 3 × 4,50 €
    assert "13,50" in client.get(url("list", town["bakery"])).content.decode()


def test_the_pickup_list_shows_the_days_click_and_collect_orders(client, town):
    shop = town["bakery"]
    now = shop_order_place(shop, slot_start=slot_at(hour=10))
    tomorrow = shop_order_place(shop, slot_start=slot_at(days=1, hour=10))
    parcel = shop_order_place(shop, fulfilment=DELIVERY, slot_start=slot_at(hour=10))
    refused = shop_order_place(shop, slot_start=slot_at(hour=12))
    shop_order_transition(shop_order=refused, to_status="refused", reason="Fermé")
    client.force_login(town["baker"])

    html = client.get(url("pickups", shop)).content.decode()
    assert now.number in html and "1 × Tarte" in html
    assert tomorrow.number not in html and parcel.number not in html
    assert refused.number not in html
    day = slot_at(days=1).date().isoformat()
    html = client.get(url("pickups", shop), {"date": day}).content.decode()
    assert tomorrow.number in html and now.number not in html
    bad = client.get(url("pickups", shop), {"date": "31/02/hier"})
    assert bad.status_code == 200
    assert "Indiquez une date valide" in bad.content.decode()
    assert now.number in bad.content.decode()  # today's, as without a date


@pytest.mark.parametrize("extra", [0, 5])
def test_order_pages_run_a_constant_number_of_queries(
    client, town, django_assert_max_num_queries, extra
):
    shop = town["bakery"]
    bread = shop_order_place(shop, slot_start=slot_at(hour=10))
    for _ in range(extra):
        shop_order_place(shop, slot_start=slot_at(hour=11))
    client.force_login(town["baker"])
    client.get(url("list", shop))  # the session's first request does more
    with django_assert_max_num_queries(10):
        assert client.get(url("list", shop), {"status": "", "q": "martin"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("pickups", shop)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("detail", shop, bread)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("slip", shop, bread)).status_code == 200


def test_the_old_order_urls_lead_to_the_shops_own(client, town):
    bread = shop_order_place(town["bakery"])
    brie = shop_order_place(town["cheese"])
    client.force_login(town["cheesemonger"])  # one shop: straight to its list
    assert client.get("/ma-boutique/commandes/")["Location"] == url("list", town["cheese"])
    old = f"/ma-boutique/commandes/{brie.number}/"
    assert client.get(old)["Location"] == url("detail", town["cheese"], brie)
    assert client.get(f"/ma-boutique/commandes/{bread.number}/").status_code == 404
    moved = client.get(f"/dashboard/commandes-boutique/{brie.number}/")
    assert moved.status_code == 301 and moved["Location"] == old
    client.force_login(town["baker"])  # two shops: the choice of shops
    assert client.get("/ma-boutique/commandes/")["Location"] == reverse("space:merchant-home")
    assert client.get(old)["Location"] == url("detail", town["cheese"], brie)


def test_the_new_order_email_links_to_the_shops_order_page(town):
    from django.core import mail

    from messaging.services import message_send

    bread = shop_order_place(town["bakery"])
    message = OutboxMessage.objects.get(kind="shop_new_order", object_id=bread.pk)
    mail.outbox.clear()
    assert message_send(message_id=message.pk)
    assert url("detail", town["bakery"], bread) in mail.outbox[0].body


@pytest.mark.parametrize(
    "name", ["order-list", "order-stats", "order-detail", "order-shipping-address"]
)
def test_merchants_do_not_reach_oscars_order_screens(client, town, name):
    bread = shop_order_place(town["bakery"])
    client.force_login(town["baker"])
    kwargs = {} if name in ("order-list", "order-stats") else {"number": bread.order.number}
    assert client.get(reverse(f"dashboard:{name}", kwargs=kwargs)).status_code == 403
