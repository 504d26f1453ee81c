"""Stock at order placement: checked again and reserved under row locks taken in one fixed
order (the offers' primary keys), so concurrent checkouts never oversell and never deadlock.

The threaded tests drive the real checkout pages: each resident is brought to the preview
first, then all of them confirm at the same moment (a barrier), each on its own connection.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from oscar.core.loading import get_model

from orders.models import ShopOrder
from tests.checkout import basket_fill, checkout_to_preview, order_place
from tests.factories import ShopFactory, product_offered, week_hours

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
NO_LONGER_AVAILABLE = "« Dernières tomates » n&#x27;est plus disponible"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_shop(name):
    shop = ShopFactory(name=name, pickup_slot_capacity=100)
    week_hours(shop)
    return shop


def resident_at_preview(n: int, *products, quantity=1):
    client = Client()
    client.force_login(get_user_model().objects.create_user(f"r{n}", f"r{n}@example.fr", "x"))
    basket_fill(client, *products, quantity=quantity)
    return client, checkout_to_preview(client)


def confirm_together(residents) -> list:
    """Every resident confirms their preview at the same moment; returns the responses (or
    the exceptions) in the residents' order."""
    barrier = threading.Barrier(len(residents))
    outcomes: list = [None] * len(residents)

    def confirm(index: int, client, preview) -> None:
        try:
            barrier.wait()
            outcomes[index] = order_place(client, preview)
        except Exception as error:  # noqa: BLE001 - every outcome is asserted by the caller
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(index, client, preview))
        for index, (client, preview) in enumerate(residents)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def placed(response) -> bool:
    return getattr(response, "status_code", None) == 302 and response["Location"].endswith(
        "/checkout/thank-you/"
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_checkouts_for_the_last_three_units_place_exactly_three_orders(on_postgres):
    shop = open_shop("Primeur du marché")
    tomatoes = product_offered(title="Dernières tomates", shop=shop, price="3.00")
    StockRecord.objects.filter(product=tomatoes).update(num_in_stock=3, num_allocated=0)
    residents = [resident_at_preview(n, tomatoes) for n in range(20)]

    outcomes = confirm_together(residents)

    assert sum(placed(outcome) for outcome in outcomes) == 3, outcomes
    refused = [outcome for outcome in outcomes if not placed(outcome)]
    assert len(refused) == 17
    for response in refused:
        assert response.status_code == 200, response
        assert NO_LONGER_AVAILABLE in response.content.decode()
    offer = StockRecord.objects.get(product=tomatoes)
    assert (offer.num_in_stock, offer.num_allocated) == (3, 3)
    assert Order.objects.count() == 3 and ShopOrder.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_multi_shop_baskets_in_opposite_orders_all_succeed_without_deadlock(on_postgres):
    shops = [open_shop(name) for name in ("Boucherie", "Cave", "Droguerie")]
    products = [
        product_offered(title=f"Produit {shop.name}", shop=shop, price="5.00") for shop in shops
    ]
    StockRecord.objects.update(num_in_stock=1000, num_allocated=0)
    rounds, per_round = 3, 6
    for round_number in range(rounds):
        residents = [
            resident_at_preview(
                round_number * per_round + n, *(products if n % 2 else products[::-1])
            )
            for n in range(per_round)
        ]

        outcomes = confirm_together(residents)

        assert all(placed(outcome) for outcome in outcomes), outcomes
    orders = rounds * per_round
    assert Order.objects.count() == orders and ShopOrder.objects.count() == orders * 3
    assert list(StockRecord.objects.values_list("num_allocated", flat=True)) == [orders] * 3


@pytest.mark.django_db
def test_an_offer_sold_out_before_confirmation_places_nothing_and_keeps_the_basket(client):
    shop = open_shop("Primeur du marché")
    tomatoes = product_offered(title="Dernières tomates", shop=shop, price="3.00")
    StockRecord.objects.filter(product=tomatoes).update(num_in_stock=3, num_allocated=0)
    client.force_login(get_user_model().objects.create_user("r", "r@example.fr", "x"))
    basket_fill(client, tomatoes, quantity=2)
    preview = checkout_to_preview(client)
    StockRecord.objects.filter(product=tomatoes).update(num_allocated=2)  # someone was faster

    response = order_place(client, preview)

    # Caught before the placement (Oscar's basket check sends back to the basket), or by the
    # placement's own check when the stock moved in between (the threaded test above).
    assert response.status_code == 302 and response["Location"] == "/basket/"
    page = client.get("/basket/").content.decode()
    assert "Dernières tomates" in page and "1" in page
    assert not Order.objects.exists() and not ShopOrder.objects.exists()
    assert StockRecord.objects.get(product=tomatoes).num_allocated == 2
    basket = client.get("/basket/").context["basket"]
    assert basket.num_items == 2 and basket.status == "Open"


@pytest.mark.django_db
def test_an_offer_withdrawn_before_confirmation_places_nothing(client):
    shop = open_shop("Primeur du marché")
    tomatoes = product_offered(title="Dernières tomates", shop=shop, price="3.00")
    client.force_login(get_user_model().objects.create_user("r", "r@example.fr", "x"))
    basket_fill(client, tomatoes)
    preview = checkout_to_preview(client)
    StockRecord.objects.filter(product=tomatoes).update(is_on_sale=False)

    response = order_place(client, preview)

    assert not Order.objects.exists()
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_the_placement_check_names_each_product_that_falls_short():
    from oscar.apps.order.exceptions import UnableToPlaceOrder

    from orders.services import basket_stock_lock
    from shops.strategy import Selector

    shop = open_shop("Primeur du marché")
    tomatoes = product_offered(title="Dernières tomates", shop=shop, price="3.00")
    leeks = product_offered(title="Poireaux", shop=shop, price="2.00")
    basket = get_model("basket", "Basket").objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(tomatoes, 2)
    basket.add_product(leeks, 1)
    StockRecord.objects.filter(product=tomatoes).update(num_in_stock=1, num_allocated=0)
    StockRecord.objects.filter(product=leeks).update(num_in_stock=4, num_allocated=4)

    with pytest.raises(UnableToPlaceOrder) as refused:
        basket_stock_lock(basket=basket)

    assert str(refused.value) == (
        "« Dernières tomates » n'est plus disponible en quantité suffisante (il en reste 1). "
        "« Poireaux » n'est plus disponible."
    )
    StockRecord.objects.filter(product=leeks).update(num_allocated=0)
    StockRecord.objects.filter(product=tomatoes).update(num_in_stock=2)
    basket_stock_lock(basket=get_model("basket", "Basket").objects.get(pk=basket.pk))
