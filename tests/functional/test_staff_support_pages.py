"""The town's staff read every shop's shop orders for support, and change none."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from tests.factories import (
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    commerce_staff_create,
    merchant_create,
)

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
ShopOrderEvent = get_model("order", "ShopOrderEvent")
Strategy = get_class("partner.strategy", "Default")


@pytest.fixture
def shop_order():
    from shops.services import basket_offer_add

    offer = StockRecordFactory(
        partner=ShopFactory(name="Fromagerie Duval"),
        product=ProductFactory(title="Tomme"),
        price=Decimal("12.00"),
    )
    basket = Basket.objects.create()
    basket.strategy = Strategy()
    basket_offer_add(basket=basket, stockrecord=offer, quantity=1)
    return create_order(basket=basket).shop_orders.get()


def test_staff_find_any_shops_order_and_read_it(client, shop_order):
    client.force_login(commerce_staff_create())
    listing = client.get(reverse("shop-orders-support:list"), {"status": "", "q": "Duval"})
    assert shop_order.number in listing.content.decode()
    url = reverse("shop-orders-support:detail", kwargs={"number": shop_order.number})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-read-only" in html and 'name="action"' not in html


def test_staff_cannot_move_a_shop_order(client, shop_order):
    client.force_login(commerce_staff_create())
    url = reverse("shop-orders-support:detail", kwargs={"number": shop_order.number})
    response = client.post(url, {"action": "accepted", "seen": shop_order.status})
    assert response.status_code == 405
    status = shop_order.status
    shop_order.refresh_from_db()
    assert (
        shop_order.status == status
        and not ShopOrderEvent.objects.filter(shop_order=shop_order, actor__isnull=False).exists()
    )


def test_merchants_do_not_reach_the_support_pages(client, shop_order):
    client.force_login(merchant_create(shop_order.shop))
    assert client.get(reverse("shop-orders-support:list")).status_code == 403
    url = reverse("shop-orders-support:detail", kwargs={"number": shop_order.number})
    assert client.get(url).status_code == 403


def test_staff_reach_a_product_from_its_page_through_moderation_only(client, shop_order):
    product = shop_order.order.lines.get().product
    client.force_login(commerce_staff_create())
    html = client.get(product.get_absolute_url()).content.decode()
    assert reverse("moderation:product", kwargs={"pk": product.pk}) in html
    assert reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}) not in html
