"""Oscar's order dashboard is the superuser's: it shows whole orders (every shop's lines,
the resident's addresses), so a merchant is refused every one of its screens, whatever the
method, and nothing changes; they work on their shop's part in their space (orders.merchant).
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from shops.services import basket_offer_add
from tests.factories import (
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    merchant_create,
)

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
OrderNote = get_model("order", "OrderNote")
ShippingEvent = get_model("order", "ShippingEvent")
PaymentEvent = get_model("order", "PaymentEvent")
ShippingAddress = get_model("order", "ShippingAddress")
Strategy = get_class("partner.strategy", "Default")

OTHER_TITLE = "Gâteau secret de B"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def offer(shop, title: str, price: str):
    return StockRecordFactory(
        partner=shop, product=ProductFactory(title=title), price=Decimal(price), num_in_stock=500
    )


def order_of(*items, user=None):
    """An order placed through Oscar's basket: items are (offer, quantity)."""
    basket = Basket.objects.create()
    basket.strategy = Strategy()
    for stockrecord, quantity in items:
        basket_offer_add(basket=basket, stockrecord=stockrecord, quantity=quantity)
    return create_order(basket=basket, user=user)


@pytest.fixture
def world():
    shop_a, shop_b = ShopFactory(name="Boulangerie A"), ShopFactory(name="Pâtisserie B")
    bread, croissant = offer(shop_a, "Pain de campagne", "3.35"), offer(shop_a, "Croissant", "1.15")
    cake = offer(shop_b, OTHER_TITLE, "9.90")
    customer = get_user_model().objects.create_user(
        username="client", email="client@example.fr", password="x"
    )
    mixed = order_of((bread, 2), (croissant, 3), (cake, 1), user=customer)
    return {
        "shop_a": shop_a,
        "shop_b": shop_b,
        "merchant_a": merchant_create(shop_a, email="a@example.fr"),
        "merchant_b": merchant_create(shop_b, email="b@example.fr"),
        "offers": (bread, croissant, cake),
        "mixed": mixed,
        "own_lines": list(mixed.lines.filter(partner=shop_a).order_by("pk")),
        "other_line": mixed.lines.get(partner=shop_b),
        "order_b": order_of((cake, 2)),
    }


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser(
        username="admin", email="admin@example.fr", password="x"
    )


def detail_url(order) -> str:
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def state(order) -> dict:
    """What an order action could change."""
    order.refresh_from_db()
    return {
        "order": (order.status, order.total_incl_tax),
        "lines": list(order.lines.order_by("pk").values_list("pk", "status", "quantity")),
        "notes": list(order.notes.order_by("pk").values_list("pk", "message")),
        "shipping_events": ShippingEvent.objects.filter(order=order).count(),
        "payment_events": PaymentEvent.objects.filter(order=order).count(),
        "address": list(ShippingAddress.objects.values()),
    }


def test_staff_see_the_whole_order(client, world, staff):
    client.force_login(staff)
    response = client.get(detail_url(world["mixed"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert OTHER_TITLE in html and "Pain de campagne" in html
    assert "20,05" in html
    assert len(response.context["lines"]) == 3


def _oscar_order_urls(world) -> list[str]:
    mixed, note = world["mixed"], world["note"]
    number = {"number": mixed.number}
    return [
        reverse("dashboard:order-list"),
        reverse("dashboard:order-stats"),
        reverse("dashboard:order-detail", kwargs=number),
        reverse("dashboard:order-shipping-address", kwargs=number),
        reverse("dashboard:order-detail-note", kwargs={**number, "note_id": note.pk}),
        reverse(
            "dashboard:order-line-detail",
            kwargs={**number, "line_id": world["own_lines"][0].pk},
        ),
    ]


@pytest.fixture
def noted(world):
    world["note"] = OrderNote.objects.create(
        order=world["mixed"], message="Note", user=world["merchant_a"]
    )
    return world


def test_a_merchant_is_refused_every_oscar_order_screen(client, noted):
    client.force_login(noted["merchant_a"])
    before = state(noted["mixed"])
    posts = [
        {"order_action": "save_note", "message": "Vu"},
        {"order_action": "change_order_status", "new_status": "Annulée"},
        {"line_action": "change_line_statuses", "selected_line": [noted["own_lines"][0].pk]},
        {"action": "change_order_statuses", "selected_order": [noted["mixed"].pk]},
    ]
    for url in _oscar_order_urls(noted):
        assert client.get(url).status_code == 403, url
        for data in posts:
            assert client.post(url, data).status_code == 403, url
    assert state(noted["mixed"]) == before


def test_a_superuser_opens_every_oscar_order_screen(client, noted, staff):
    client.force_login(staff)
    for url in _oscar_order_urls(noted):
        if "shipping-address" not in url:  # Oscar's 404 for an order without one
            assert client.get(url).status_code == 200, url


def test_order_page_runs_a_constant_number_of_queries(client, world, staff):
    shop_a, shop_b = world["shop_a"], world["shop_b"]
    client.force_login(staff)

    def measure(lines_per_shop: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        items = []
        for i in range(lines_per_shop):
            items += [(offer(shop_a, f"A{i}", "1.00"), 1), (offer(shop_b, f"B{i}", "2.00"), 1)]
        url = detail_url(order_of(*items))
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    with_4, with_40 = measure(2), measure(20)
    print("order page queries:", with_4, with_40)
    assert with_4 == with_40
