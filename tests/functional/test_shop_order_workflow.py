"""A resident's basket from two shops, through Oscar's checkout pages, becomes one order split
into one shop order per shop, each moving along its own workflow."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from orders import selectors
from orders.models import ShopOrder
from orders.services import shop_order_transition
from tests.factories import ShopFactory, merchant_create, product_offered

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

ADDRESS = {
    "first_name": "Camille",
    "last_name": "Martin",
    "line1": "3 rue du Casino",
    "line4": "Aix-les-Bains",
    "postcode": "73100",
    "phone_number": "",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def checkout(client, *products):
    """Fill the basket and go through Oscar's checkout pages up to the thank-you page."""
    for product in products:
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})
    response = client.post("/checkout/shipping-address/", ADDRESS)
    assert response.status_code == 302, response.context and response.context["form"].errors
    client.get("/checkout/shipping-method/")
    client.get("/checkout/payment-method/")
    assert client.get("/checkout/preview/").status_code == 200
    placed = client.post("/checkout/preview/", {"action": "place_order"})
    assert placed.status_code == 302 and placed["Location"].endswith("/checkout/thank-you/")
    return Order.objects.get()


def test_checkout_with_two_shops_places_one_order_split_by_shop(client):
    fromagerie = ShopFactory(name="Fromagerie du Lac")
    librairie = ShopFactory(name="Librairie des Arcades")
    comte = product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90")
    novel = product_offered(title="Roman du lac", shop=librairie, price="19.00")
    resident = get_user_model().objects.create_user("camille", "camille@example.fr", "x")
    client.force_login(resident)

    order = checkout(client, comte, novel)

    cheese, books = order.shop_orders.order_by("number")
    assert (cheese.shop, cheese.number, cheese.total) == (
        fromagerie,
        f"{order.number}-1",
        Decimal("13.80"),
    )
    assert (books.shop, books.number, books.total) == (
        librairie,
        f"{order.number}-2",
        Decimal("38.00"),
    )
    assert {cheese.fulfilment, books.fulfilment} == {ShopOrder.Fulfilment.CLICK_COLLECT}
    assert order.status == "Nouvelle"
    assert set(selectors.shop_orders_of_customer(user=resident)) == {cheese, books}


def test_each_shop_moves_its_own_part_and_a_refusal_gives_its_stock_back(client):
    fromagerie = ShopFactory(name="Fromagerie du Lac")
    librairie = ShopFactory(name="Librairie des Arcades")
    comte = product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90")
    novel = product_offered(title="Roman du lac", shop=librairie, price="19.00")
    cheesemonger, bookseller = merchant_create(fromagerie), merchant_create(librairie)
    client.force_login(get_user_model().objects.create_user("c", "c@example.fr", "x"))
    checkout(client, comte, novel)

    cheese = selectors.shop_orders_of_merchant(user=cheesemonger).get()
    books = selectors.shop_orders_of_merchant(user=bookseller).get()
    for status in ("accepted", "ready", "collected"):
        shop_order_transition(shop_order=cheese, to_status=status, by=cheesemonger)
    shop_order_transition(
        shop_order=books, to_status="refused", by=bookseller, reason="Épuisé chez l'éditeur"
    )

    assert Order.objects.get().status == "Terminée"
    assert StockRecord.objects.get(product=novel).num_allocated == 0
    assert StockRecord.objects.get(product=comte).num_allocated == 2
    assert list(books.events.values_list("to_status", "reason")) == [
        ("refused", "Épuisé chez l'éditeur")
    ]


def test_staff_reads_shop_orders_in_the_admin_but_cannot_change_them(client):
    shop = ShopFactory(name="Fromagerie du Lac")
    comte = product_offered(title="Comté 18 mois", shop=shop, price="6.90")
    client.force_login(get_user_model().objects.create_user("c", "c@example.fr", "x"))
    checkout(client, comte)
    shop_order = ShopOrder.objects.get()
    admin = get_user_model().objects.create_superuser("admin", "admin@example.fr", "x")
    client.force_login(admin)

    listing = client.get("/admin/order/shoporder/")
    assert listing.status_code == 200 and shop_order.number in listing.content.decode()
    page = client.get(f"/admin/order/shoporder/{shop_order.pk}/change/")
    assert page.status_code == 200
    client.post(f"/admin/order/shoporder/{shop_order.pk}/change/", {"status": "collected"})
    assert ShopOrder.objects.get().status == "new"
