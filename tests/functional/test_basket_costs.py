"""The basket never announces free delivery when a fee will apply (issue 15, §2, first part):
before checkout no delivery is chosen, so it says pickup is free and which shops deliver, with
their fee to come at the next step, and its total is "hors livraison"."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.checkout import basket_fill
from tests.factories import ShopFactory, product_offered

pytestmark = pytest.mark.django_db


def basket_page(client, *products) -> str:
    client.force_login(get_user_model().objects.create_user("c", "c@example.fr", "x"))
    basket_fill(client, *products)
    return client.get(reverse("basket:summary")).content.decode()


def test_a_basket_with_a_delivering_shop_says_its_fee_comes_later(client):
    books = ShopFactory(name="Librairie des Arcades", offers_delivery=True)
    cheese = ShopFactory(name="Fromagerie du Lac")
    html = basket_page(
        client,
        product_offered(title="Roman du lac", shop=books, price="19.00"),
        product_offered(title="Comté", shop=cheese, price="6.90"),
    )

    assert "gratuite" not in html  # no "Livraison gratuite 0,00 €"
    assert "Livraison à domicile possible chez Librairie des Arcades" in html
    assert "Total hors livraison" in html


def test_a_basket_of_click_and_collect_shops_says_pickup_is_free(client):
    html = basket_page(
        client, product_offered(title="Comté", shop=ShopFactory(name="Fromagerie"), price="6.90")
    )

    assert "Retrait en boutique" in html and "data-delivery-note" not in html
    assert "Total hors livraison" not in html


def test_product_and_shop_pages_show_the_delivery_fee_and_minimum_before_the_basket(client):
    from tests.checkout import zone_create

    zone_create(postcodes=("73100",), fee="3.90", minimum="10.00")
    books = ShopFactory(name="Librairie des Arcades", offers_delivery=True)
    novel = product_offered(title="Roman du lac", shop=books, price="19.00")

    for path in (novel.get_absolute_url(), reverse("shops:storefront", args=[books.code])):
        html = client.get(path).content.decode()
        assert "Livraison 3,90 € (dès 10,00 € d'achats livrés ensemble)" in html, path
        assert "Retrait en boutique" in html, path


def test_a_pickup_only_shop_announces_no_delivery(client):
    from tests.checkout import zone_create

    zone_create(postcodes=("73100",), fee="3.90", minimum="10.00")
    cheese = product_offered(title="Comté", shop=ShopFactory(name="Fromagerie"), price="6.90")

    html = client.get(cheese.get_absolute_url()).content.decode()

    assert "Retrait en boutique" in html and "Livraison 3,90" not in html


def test_the_basket_says_how_much_is_missing_for_a_delivery(client):
    """Issue 15, §2: a small basket from a delivering shop says what it lacks to be delivered
    (the drop's minimum), instead of finding out at the address step."""
    from tests.checkout import zone_create

    zone_create(postcodes=("73100",), fee="3.90", minimum="10.00")
    creamery = ShopFactory(name="Crèmerie des Alpes", offers_delivery=True)
    cheese = product_offered(title="Tomme", shop=creamery, price="5.80")
    client.post(reverse("basket:add", kwargs={"pk": cheese.pk}), {"quantity": 1})
    html = client.get(reverse("basket:summary")).content.decode()
    assert "data-delivery-missing" in html and "il vous manque 4,20" in html
    client.post(reverse("basket:add", kwargs={"pk": cheese.pk}), {"quantity": 1})
    html = client.get(reverse("basket:summary")).content.decode()
    assert "data-delivery-missing" not in html  # 11,60 € reaches the minimum


def test_product_and_shop_pages_say_what_the_basket_lacks_for_a_delivery(client):
    from tests.checkout import zone_create

    zone_create(postcodes=("73100",), fee="3.90", minimum="10.00")
    creamery = ShopFactory(name="Crèmerie des Alpes", offers_delivery=True)
    cheese = product_offered(title="Tomme", shop=creamery, price="5.80")
    pages = (cheese.get_absolute_url(), reverse("shops:storefront", args=[creamery.code]))
    for path in pages:
        assert "data-delivery-missing" not in client.get(path).content.decode()  # no basket yet
    client.post(reverse("basket:add", kwargs={"pk": cheese.pk}), {"quantity": 1})
    for path in pages:
        html = client.get(path).content.decode()
        assert "5,80 € d'articles livrables, il manque 4,20 €" in html, path
