"""Editing a product with the same form: the shop's own product fully, a product other shops
sell too only through the shop's offer (its record cannot be changed, even by a forged post)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shops.services import product_moderate
from tests.factories import (
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    commerce_staff_create,
    merchant_create,
)
from tests.pages import picture

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def shop():
    return ShopFactory(name="Épicerie du Port")


@pytest.fixture
def merchant(client, shop):
    user = merchant_create(shop)
    client.force_login(user)
    return user


@pytest.fixture
def category():
    return category_create("Épicerie")


@pytest.fixture
def own(shop, category):
    product = ProductFactory(title="Miel de sapin", upc="TEST-MIEL", description="<p>Doux.</p>")
    product.categories.add(category)
    return StockRecordFactory(partner=shop, product=product, price=Decimal("7.50"))


def edit_url(shop, offer) -> str:
    return reverse("merchant:product-edit", kwargs={"slug": shop.code, "pk": offer.pk})


def form_data(response, **overrides) -> dict:
    """The POST a browser sends back from the page as rendered (disabled fields aside)."""
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if field.field.disabled or value in (None, False) or field.name == "photo":
            continue
        data[field.html_name] = "on" if value is True else value
    data.update(overrides)
    return data


def test_the_form_shows_the_product_in_french_format(client, merchant, shop, own):
    response = client.get(edit_url(shop, own))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["price"].value() == "7,50" and form["description"].value() == "Doux."
    assert not form.fields["title"].disabled
    assert "D&#x27;autres boutiques vendent aussi" not in response.content.decode()


def test_the_shops_own_product_is_fully_editable(client, merchant, shop, own, category):
    other = category_create("Miels", parent=category)
    response = client.get(edit_url(shop, own))
    data = form_data(
        response,
        title="Miel de sapin des Bauges",
        category=str(other.pk),
        price="8,20",
        num_in_stock="3",
        description="Récolte d'été.",
        photo=picture(size=(800, 600)),
    )
    data.pop("is_on_sale")
    response = client.post(edit_url(shop, own), data, follow=True)
    assert "« Miel de sapin des Bauges » est enregistré." in response.content.decode()
    own.refresh_from_db()
    product = own.product
    assert (product.title, list(product.categories.all())) == ("Miel de sapin des Bauges", [other])
    assert product.description == "<p>Récolte d'été.</p>"
    assert product.upc == "TEST-MIEL"  # an older, non-EAN code is kept as it was
    assert (own.price, own.num_in_stock, own.is_on_sale) == (Decimal("8.20"), 3, False)
    assert product.images.count() == 1


@pytest.fixture
def shared(shop, own):
    """The shop's product is sold by another shop too."""
    StockRecordFactory(partner=ShopFactory(), product=own.product, price=Decimal("7.77"))
    return own


def test_a_shared_products_record_is_read_only_and_explained(client, merchant, shop, shared):
    response = client.get(edit_url(shop, shared))
    form = response.context["form"]
    for name in ("title", "category", "photo", "upc", "description"):
        assert form.fields[name].disabled, name
    assert not form.fields["price"].disabled
    assert "vendent aussi ce produit" in response.content.decode()


def test_a_forged_post_cannot_change_a_shared_products_record(
    client, merchant, shop, shared, category
):
    response = client.get(edit_url(shop, shared))
    data = form_data(
        response,
        title="Piraté",
        description="<script>x</script>",
        upc="4006381333931",
        category=str(category_create("Autre").pk),
        photo=picture(size=(400, 300)),
        price="6,10",
    )
    assert client.post(edit_url(shop, shared), data).status_code == 302
    product = Product.objects.get(pk=shared.product_id)
    assert (product.title, product.upc, product.description) == (
        "Miel de sapin",
        "TEST-MIEL",
        "<p>Doux.</p>",
    )
    assert list(product.categories.all()) == [category] and not product.images.exists()
    shared.refresh_from_db()
    assert shared.price == Decimal("6.10")
    theirs = StockRecord.objects.exclude(pk=shared.pk).get()
    assert theirs.price == Decimal("7.77")


def test_another_shops_offer_id_is_not_found_and_changes_nothing(client, merchant, shop):
    theirs = StockRecordFactory(partner=ShopFactory(), product=ProductFactory(title="Vin"))
    url = edit_url(shop, theirs)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Piraté", "price": "0,01"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.product.title == "Vin" and theirs.price == Decimal("4.50")
    other = ShopFactory()
    assert client.get(edit_url(other, theirs)).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "abc"}, "price"),
        ({"price": "-1"}, "price"),
        ({"num_in_stock": "1"}, "num_in_stock"),  # below the 2 units orders hold
        ({"title": "x" * 256}, "title"),
        ({"upc": "12345"}, "upc"),
    ],
)
def test_bad_input_changes_nothing(client, merchant, shop, own, overrides, field):
    StockRecord.objects.filter(pk=own.pk).update(num_allocated=2)
    data = form_data(client.get(edit_url(shop, own)), **overrides)
    response = client.post(edit_url(shop, own), data)
    assert response.status_code == 200 and response.context["form"].errors[field]
    own.refresh_from_db()
    assert (own.price, own.num_in_stock, own.product.title) == (
        Decimal("7.50"),
        10,
        "Miel de sapin",
    )


def test_a_withdrawn_product_shows_the_towns_reason_and_stays_withdrawn(
    client, merchant, shop, own
):
    product_moderate(
        product=own.product, by=commerce_staff_create(), action="withdraw", reason="Photo floue"
    )
    response = client.get(edit_url(shop, own))
    assert "Photo floue" in response.content.decode()
    data = form_data(response, title="Miel de sapin bio")
    assert client.post(edit_url(shop, own), data).status_code == 302
    own.product.refresh_from_db()
    assert own.product.title == "Miel de sapin bio" and own.product.is_public is False
