"""A resident's basket from two shops, through Oscar's checkout pages, becomes one order split
into one shop order per shop, each moving along its own workflow."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from orders import selectors
from orders.models import ShopOrder
from orders.services import shop_order_transition
from tests.checkout import checkout
from tests.factories import ShopFactory, merchant_create, product_offered, week_hours

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_shop(name):
    """A live shop open Monday to Saturday: it offers pickup slots."""
    shop = ShopFactory(name=name)
    week_hours(shop)
    return shop


def test_checkout_with_two_shops_places_one_order_split_by_shop(client):
    fromagerie = open_shop("Fromagerie du Lac")
    librairie = open_shop("Librairie des Arcades")
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
    [placed] = selectors.customer_orders(user=resident)
    assert set(placed.shop_orders.all()) == {cheese, books}


def test_each_shop_moves_its_own_part_and_a_refusal_gives_its_stock_back(client):
    fromagerie = open_shop("Fromagerie du Lac")
    librairie = open_shop("Librairie des Arcades")
    comte = product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90")
    novel = product_offered(title="Roman du lac", shop=librairie, price="19.00")
    cheesemonger, bookseller = merchant_create(fromagerie), merchant_create(librairie)
    client.force_login(get_user_model().objects.create_user("c", "c@example.fr", "x"))
    stock_before = StockRecord.objects.get(product=comte).num_in_stock
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
    # The collected cheese left the shelf: out of the stock and of the allocation (so a
    # stock feed's shelf count and Digitaix agree again).
    cheese_offer = StockRecord.objects.get(product=comte)
    assert (cheese_offer.num_in_stock, cheese_offer.num_allocated) == (stock_before - 2, 0)
    assert list(books.events.values_list("to_status", "reason")) == [
        ("refused", "Épuisé chez l'éditeur")
    ]


def test_staff_reads_shop_orders_in_the_admin_but_cannot_change_them(client):
    shop = open_shop("Fromagerie du Lac")
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
