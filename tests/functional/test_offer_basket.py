"""A resident adds a product to the basket from the shop they choose."""

import re

import pytest
from django.urls import reverse

from tests.factories import ShopFactory, StockRecordFactory, product_offered

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_product():
    product = product_offered(title="Miel de lavande", shop=ShopFactory(name="Épicerie A"))
    dear = StockRecordFactory(
        product=product, partner=ShopFactory(name="Épicerie B"), price="9.00", num_in_stock=2
    )
    hidden = StockRecordFactory(
        product=product, partner=ShopFactory(name="Suspendue", status="suspended"), price="1.00"
    )
    return {"product": product, "dear": dear, "hidden": hidden}


def add(client, offer, quantity="1"):
    url = reverse("shops:offer-add-to-basket", kwargs={"pk": offer.pk})
    return client.post(url, {"quantity": quantity}, follow=True)


def basket_lines(client):
    return [
        (line.stockrecord.partner.name, line.quantity)
        for line in client.get("/basket/").context["basket"].all_lines()
    ]


def test_the_default_button_sells_the_cheapest_live_offer(client, shared_product):
    client.post(reverse("basket:add", kwargs={"pk": shared_product["product"].pk}), {"quantity": 1})
    assert basket_lines(client) == [("Épicerie A", 1)]


def test_a_resident_buys_from_the_shop_they_choose(client, shared_product):
    response = add(client, shared_product["dear"])
    assert "chez Épicerie B" in response.content.decode()
    assert basket_lines(client) == [("Épicerie B", 1)]
    add(client, shared_product["dear"])
    assert basket_lines(client) == [("Épicerie B", 2)]


def test_the_product_page_offers_one_button_per_shop(client, shared_product):
    html = client.get(shared_product["product"].get_absolute_url()).content.decode()
    assert reverse("shops:offer-add-to-basket", kwargs={"pk": shared_product["dear"].pk}) in html
    assert "Suspendue" not in html


def test_a_hidden_shops_offer_cannot_be_bought(client, shared_product):
    url = reverse("shops:offer-add-to-basket", kwargs={"pk": shared_product["hidden"].pk})
    assert client.post(url, {"quantity": 1}).status_code == 404
    assert basket_lines(client) == []


@pytest.mark.parametrize(
    ("quantity", "message"),
    [("0", "au moins 1"), ("-3", "au moins 1"), ("abc", "nombre entier"), ("", "Indiquez")],
)
def test_a_bad_quantity_is_refused_clearly_and_changes_nothing(
    client, shared_product, quantity, message
):
    response = add(client, shared_product["dear"], quantity)
    assert message in response.content.decode()
    assert basket_lines(client) == []


def test_more_than_the_shop_has_is_refused_and_changes_nothing(client, shared_product):
    add(client, shared_product["dear"], "2")
    response = add(client, shared_product["dear"], "1")
    assert "Impossible d&#x27;ajouter ce produit chez Épicerie B" in response.content.decode()
    assert basket_lines(client) == [("Épicerie B", 2)]


def test_only_post_is_accepted(client, shared_product):
    url = reverse("shops:offer-add-to-basket", kwargs={"pk": shared_product["dear"].pk})
    assert client.get(url).status_code == 405


def test_the_basket_groups_its_lines_by_shop(client):
    bakery, books = ShopFactory(name="Boulangerie Z"), ShopFactory(name="Librairie A")
    for title, shop in (("Pain", bakery), ("Roman", books), ("Brioche", bakery)):
        product = product_offered(title=title, shop=shop)
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    response = client.get("/basket/")
    html = response.content.decode()
    sections = re.findall(r'class="dx-basket-shop__title"[^>]*>([^<]+)<', html)
    assert [s.strip() for s in sections] == ["Chez Boulangerie Z", "Chez Librairie A"]
    bakery_part = html.split("Chez Boulangerie Z")[1].split("Chez Librairie A")[0]
    assert "Pain" in bakery_part and "Brioche" in bakery_part and "Roman" not in bakery_part
    # Oscar's basket script finds a line's form by its formset index, whatever the order.
    forms = response.context["formset"].forms
    pairs = re.findall(
        r'data-id="(\d+)" data-behaviours="remove">[^<]*<span class="sr-only"> ([^<]+)<', html
    )
    assert len(pairs) == 3
    for index, description in pairs:
        assert forms[int(index)].instance.description == description
