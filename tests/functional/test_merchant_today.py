"""The shop's day (/ma-boutique/<code>/) and its poll: what needs the shop now, each group
with its count and a one-tap action, then stock alerts, then the checklist.

Slots are computed from today (tests/shop_orders.py): time-touching module.
"""

import json
import re

import pytest
from django.urls import reverse

from orders.models import ShopOrder
from orders.services import shop_order_transition
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory, merchant_create
from tests.shop_orders import shop_order_place, slot_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def bakery():
    return ShopFactory(name="Boulangerie")


@pytest.fixture
def baker(bakery):
    return merchant_create(bakery, email="boulanger@example.fr")


def today_url(shop) -> str:
    return reverse("space:today", args=[shop.code])


def poll_url(shop) -> str:
    return reverse("space:today-poll", args=[shop.code])


def move(shop_order, *statuses):
    for status in statuses:
        shop_order = shop_order_transition(shop_order=shop_order, to_status=status)
    return shop_order


def group(html: str, status: str) -> str:
    found = re.search(rf'data-group="{status}">(.*?)</section>', html, re.S)
    assert found, status
    return found.group(1)


def test_the_day_groups_what_needs_the_shop_with_counts_and_one_tap_actions(client, bakery, baker):
    new = shop_order_place(bakery, slot_start=slot_at(days=1))
    for_today = move(shop_order_place(bakery, slot_start=slot_at(hour=16)), "accepted")
    for_tomorrow = move(shop_order_place(bakery, slot_start=slot_at(days=1)), "accepted")
    next_week = move(shop_order_place(bakery, slot_start=slot_at(days=6)), "accepted")
    ready = move(shop_order_place(bakery), "accepted", "ready")
    client.force_login(baker)

    html = client.get(today_url(bakery)).content.decode()

    to_accept, to_prepare, waiting = (group(html, s) for s in ("new", "accepted", "ready"))
    assert new.number in to_accept and "(1)" in to_accept
    assert for_today.number in to_prepare and for_tomorrow.number in to_prepare
    assert next_week.number not in html and "(2)" in to_prepare
    assert ready.number in waiting
    # One tap each, the order's number in the button's name.
    assert re.search(rf"Accepter la commande<span class=\"dx-sr-only\"> {new.number}<", html)
    assert re.search(rf"Marquer prête<span class=\"dx-sr-only\"> {for_today.number}<", html)
    assert re.search(rf"Retirée et payée<span class=\"dx-sr-only\"> {ready.number}<", html)


def test_one_tap_accepts_and_comes_back_to_the_day(client, bakery, baker):
    new = shop_order_place(bakery)
    client.force_login(baker)
    detail = reverse("shop-orders:detail", args=[bakery.code, new.number])
    data = {"action": "accepted", "seen": "new", "next": today_url(bakery)}

    response = client.post(detail, data)

    assert response.status_code == 302 and response["Location"] == today_url(bakery)
    new.refresh_from_db()
    assert new.status == "accepted"
    page = client.get(today_url(bakery)).content.decode()
    assert new.number in group(page, "accepted") and "passée à « Acceptée »" in page


def test_one_tap_collected_and_paid_from_the_day(client, bakery, baker):
    ready = move(shop_order_place(bakery), "accepted", "ready")
    client.force_login(baker)
    detail = reverse("shop-orders:detail", args=[bakery.code, ready.number])
    data = {"action": "collected_paid", "seen": "ready", "next": today_url(bakery)}
    assert client.post(detail, data)["Location"] == today_url(bakery)
    ready.refresh_from_db()
    assert (ready.status, ready.is_paid) == ("collected", True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_an_outside_next_is_ignored(client, bakery, baker, target):
    new = shop_order_place(bakery)
    client.force_login(baker)
    detail = reverse("shop-orders:detail", args=[bakery.code, new.number])
    response = client.post(detail, {"action": "accepted", "seen": "new", "next": target})
    assert response["Location"] == detail


def test_a_delivery_ready_waits_for_the_courier_without_an_action(client, bakery, baker):
    parcel = shop_order_place(bakery, fulfilment=ShopOrder.Fulfilment.DELIVERY)
    parcel = move(parcel, "accepted", "ready")
    client.force_login(baker)
    waiting = group(client.get(today_url(bakery)).content.decode(), "ready")
    assert parcel.number in waiting and "Attend le livreur" in waiting
    assert "data-action" not in waiting


def test_stock_alerts_show_sold_out_and_low_offers(client, bakery, baker, settings):
    settings.DIGITAIX_LOW_STOCK_THRESHOLD = 3

    def offer(title, stock, allocated=0, on_sale=True):
        product = ProductFactory(title=title)
        StockRecordFactory(
            partner=bakery,
            product=product,
            num_in_stock=stock,
            num_allocated=allocated,
            is_on_sale=on_sale,
        )

    offer("Baguette", 0)
    offer("Brioche", 5, allocated=5)  # all held by orders: sold out
    offer("Croissant", 3)
    offer("Pain de seigle", 4)
    offer("Fougasse", 0, on_sale=False)  # not on sale: no alert
    other = ShopFactory()
    StockRecordFactory(partner=other, product=ProductFactory(title="Tome"), num_in_stock=0)
    client.force_login(baker)

    html = client.get(today_url(bakery)).content.decode()

    out = re.search(r'data-stock="out">(.*?)</ul>', html, re.S).group(1)
    low = re.search(r'data-stock="low">(.*?)</ul>', html, re.S).group(1)
    assert "Baguette" in out and "Brioche" in out and "2 produits épuisés" in html
    assert "Croissant" in low and "3 restants" in low
    for absent in ("Pain de seigle", "Fougasse", "Tome"):
        assert absent not in html
    assert reverse("merchant:stock", args=[bakery.code]) in html or "/produits/" in html


def test_no_stock_panel_when_nothing_runs_low(client, bakery, baker):
    StockRecordFactory(partner=bakery, product=ProductFactory(title="Pain"), num_in_stock=50)
    client.force_login(baker)
    assert "data-stock-alerts" not in client.get(today_url(bakery)).content.decode()


def test_the_poll_sends_the_orders_part_with_the_new_numbers(client, bakery, baker):
    client.force_login(baker)
    quiet = client.get(poll_url(bakery)).json()
    assert quiet["counts"] == {"to_accept": 0, "to_prepare": 0, "waiting": 0}
    assert quiet["new_numbers"] == []

    new = shop_order_place(bakery)
    response = client.get(poll_url(bakery))

    data = response.json()
    assert response["Cache-Control"] == "no-store"
    assert data["counts"]["to_accept"] == 1 and data["new_numbers"] == [new.number]
    assert data["signature"] != quiet["signature"]
    assert new.number in data["html"] and 'name="csrfmiddlewaretoken"' in data["html"]
    assert f'name="next" value="{today_url(bakery)}"' in data["html"]


def test_the_poll_shows_one_shop_to_its_own_merchants_only(client, bakery, baker):
    shop_order_place(bakery)
    other = ShopFactory(name="Fromagerie")
    client.force_login(merchant_create(other, email="fromager@example.fr"))
    assert client.get(poll_url(bakery)).status_code == 404
    assert json.loads(client.get(poll_url(other)).content)["new_numbers"] == []


def test_the_page_loads_its_script_and_the_sound_toggle(client, bakery, baker):
    client.force_login(baker)
    html = client.get(today_url(bakery)).content.decode()
    assert re.search(r'<script src="[^"]*digitaix/js/today\.js" defer>', html)
    assert 'aria-pressed="true" data-dx-sound' in html
    assert f'data-poll-url="{poll_url(bakery)}"' in html
    assert 'aria-live="polite"' in html


@pytest.mark.parametrize("extra", [0, 6])
def test_the_day_and_its_poll_run_a_constant_number_of_queries(
    client, bakery, baker, django_assert_max_num_queries, extra
):
    for n in range(extra):
        shop_order = shop_order_place(bakery, slot_start=slot_at(hour=10))
        move(shop_order, *(["accepted"] if n % 2 else ["accepted", "ready"]))
        shop_order_place(bakery)
        StockRecordFactory(partner=bakery, product=ProductFactory(), num_in_stock=n % 3)
    client.force_login(baker)
    client.get(today_url(bakery))  # the session's first request does more
    with django_assert_max_num_queries(16):  # 3 groups listed, stock: 2, checklist: 2
        assert client.get(today_url(bakery)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(poll_url(bakery)).status_code == 200
