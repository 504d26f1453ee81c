"""The checkout with an address of the resident's address book ("Livrer à cette adresse").

Oscar's `ship_to_user_address()` flushes the whole "shipping" part of the checkout session,
where the marketplace's shipping method was recorded: the preview then showed no fee and no
total, and "Confirmer la commande" answered HTTP 500 (`'NoneType' object has no attribute
'incl_tax'`). Every returning resident hit it."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from orders.models import ShopOrder
from tests.checkout import (
    ADDRESS,
    basket_fill,
    checkout,
    checkout_to_preview,
    france_ensure,
    fulfilment_data,
    zone_create,
)
from tests.factories import ShopFactory, product_offered, week_hours

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
METHOD_URL = reverse("checkout:shipping-method")
ADDRESS_URL = reverse("checkout:shipping-address")
PREVIEW_URL = reverse("checkout:preview")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town():
    fromagerie = ShopFactory(name="Fromagerie du Lac")
    librairie = ShopFactory(name="Librairie des Arcades", offers_delivery=True)
    for shop in (fromagerie, librairie):
        week_hours(shop)
    zone_create(postcodes=("73100",), fee="3.50", minimum="10.00")
    return {
        "librairie": librairie,
        "comte": product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90"),
        "novel": product_offered(title="Roman du lac", shop=librairie, price="19.00"),
    }


@pytest.fixture
def resident(client):
    user = get_user_model().objects.create_user("camille", "camille@example.fr", "x")
    client.force_login(user)
    return user


def saved_address(user, **fields):
    france_ensure()
    values = {**ADDRESS, "line1": "12 avenue du Lac", "phone_number": "06 98 76 54 32", **fields}
    return UserAddress.objects.create(
        user=user, country=Country.objects.get(iso_3166_1_a2="FR"), **values
    )


def test_a_saved_address_keeps_the_fee_and_the_total_on_the_preview(client, town, resident):
    basket_fill(client, town["comte"], town["novel"])

    preview = checkout_to_preview(
        client, modes={town["librairie"].pk: "delivery"}, address=saved_address(resident)
    )

    assert preview.context["shipping_charge"].incl_tax == Decimal("3.50")
    assert preview.context["order_total"].incl_tax == Decimal("55.30")
    assert "55,30" in preview.content.decode()


def test_confirming_with_a_saved_address_places_the_order_instead_of_a_500(client, town, resident):
    address = saved_address(resident)
    basket_fill(client, town["comte"], town["novel"])
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))
    client.post(ADDRESS_URL, {"address_id": address.pk, "action": "ship_to"})
    client.get(reverse("checkout:payment-method"))

    placed = client.post(PREVIEW_URL, {"action": "place_order", "total": "55.30"})

    assert placed.status_code == 302 and placed["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    cheese, books = order.shop_orders.order_by("number")
    assert cheese.fulfilment == ShopOrder.Fulfilment.CLICK_COLLECT
    assert books.fulfilment == ShopOrder.Fulfilment.DELIVERY
    assert books.shipping_total == Decimal("3.50")
    assert order.total_incl_tax == Decimal("55.30")
    assert order.shipping_address.line1 == "12 avenue du Lac"
    assert order.shipping_address.phone_number


def test_a_new_address_typed_after_a_saved_one_is_the_one_delivered_to(client, town, resident):
    address = saved_address(resident)
    basket_fill(client, town["novel"])
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))
    client.post(ADDRESS_URL, {"address_id": address.pk, "action": "ship_to"})

    order = checkout(client, modes={town["librairie"].pk: "delivery"})

    assert order.shipping_address.line1 == ADDRESS["line1"]
    assert order.shipping_incl_tax == Decimal("3.50")


def test_a_saved_address_without_a_phone_is_refused_and_nothing_is_kept(client, town, resident):
    address = saved_address(resident, phone_number="")
    basket_fill(client, town["novel"])
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))

    refused = client.post(ADDRESS_URL, {"address_id": address.pk, "action": "ship_to"}, follow=True)

    assert "Indiquez un téléphone" in refused.content.decode()
    assert refused.redirect_chain[-1][0] == ADDRESS_URL
    assert client.get(PREVIEW_URL)["Location"] == ADDRESS_URL
    assert not Order.objects.exists()


def test_the_address_form_asks_nothing_a_french_address_does_not_have(client, town, resident):
    basket_fill(client, town["novel"])
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))

    form = client.get(ADDRESS_URL).context["form"]

    assert "state" not in form.fields and "postcode" in form.fields
