"""A resident's data (issue 15, §3): they download all of it (JSON, and CSV files in a ZIP),
only ever their own, and delete their account themselves; their orders stay for the shops'
accounts, anonymised. Accounts that run a shop or the portal, and residents with an order in
progress, are told why they cannot."""

import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from shops.services import basket_offer_add
from tests.factories import (
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    commerce_staff_create,
    merchant_create,
)

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
UserAddress = get_model("address", "UserAddress")
ProductReview = get_model("reviews", "ProductReview")
Country = get_model("address", "Country")
Strategy = get_class("partner.strategy", "Default")
User = get_user_model()
PASSWORD = "un-mot-de-passe-long"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def resident(email: str, *, first="Léa", last="Martin"):
    return User.objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=first, last_name=last
    )


def order_for(user, offer, *, quantity=1, status="collected", street="12 rue des Lilas"):
    basket = Basket.objects.create()
    basket.strategy = Strategy()
    basket_offer_add(basket=basket, stockrecord=offer, quantity=quantity)
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "is_shipping_country": True}
    )
    address = ShippingAddress.objects.create(
        first_name=user.first_name, last_name=user.last_name, line1=street, line4="Digitaix",
        postcode="73100", country=country, phone_number="+33612345678", notes="Code 1234",
    )  # fmt: skip
    order = create_order(basket=basket, user=user, shipping_address=address)
    order.shop_orders.update(status=status)
    return order


@pytest.fixture
def town():
    shop = ShopFactory(name="Fromagerie du Lac")
    offer = StockRecordFactory(
        partner=shop, product=ProductFactory(title="Tomme de Savoie"), price=Decimal("18.90"),
        num_in_stock=50,
    )  # fmt: skip
    lea, paul = resident("lea@example.fr"), resident("paul@example.fr", first="Paul", last="Roux")
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "is_shipping_country": True}
    )
    UserAddress.objects.create(
        user=lea, first_name="Léa", last_name="Martin", line1="12 rue des Lilas",
        line4="Digitaix", postcode="73100", country=country,
    )  # fmt: skip
    ProductReview.objects.create(
        product=offer.product, user=lea, score=5, title="Excellente", body="Fondante à souhait."
    )
    return {
        "shop": shop,
        "offer": offer,
        "lea": lea,
        "paul": paul,
        "lea_order": order_for(lea, offer, quantity=2),
        "paul_order": order_for(paul, offer, street="3 avenue du Port"),
    }


def test_the_data_page_is_a_tab_of_the_account_and_needs_a_sign_in(client, town):
    response = client.get(reverse("privacy:data"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name in ("privacy:download-json", "privacy:download-csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
    client.force_login(town["lea"])
    html = client.get(reverse("customer:profile-view")).content.decode()
    assert reverse("privacy:data") in html and "Mes données" in html
    page = client.get(reverse("privacy:data")).content.decode()
    assert reverse("privacy:download-json") in page and reverse("privacy:download-csv") in page
    assert 'name="password"' in page
    # Oscar's own "delete profile" (which would keep the orders' names) leads here.
    response = client.get(reverse("customer:profile-delete"))
    assert response.status_code == 302 and response["Location"] == reverse("privacy:data")


def test_a_resident_downloads_all_their_data_as_json_and_only_theirs(client, town):
    client.force_login(town["lea"])
    response = client.get(reverse("privacy:download-json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["compte"]["email"] == "lea@example.fr" and data["compte"]["nom"] == "Martin"
    assert [a["adresse"] for a in data["adresses"]] == [["12 rue des Lilas"]]
    (order,) = data["commandes"]
    assert order["numero"] == str(town["lea_order"].number)
    assert order["articles"][0]["produit"] == "Tomme de Savoie"
    assert order["articles"][0]["quantite"] == 2
    assert order["boutiques"][0]["boutique"] == "Fromagerie du Lac"
    assert order["adresse_de_livraison"]["telephone"] == "+33612345678"
    assert [r["titre"] for r in data["avis"]] == ["Excellente"]
    text = response.content.decode()
    assert str(town["paul_order"].number) not in text and "paul@example.fr" not in text
    assert "avenue du Port" not in text


def test_the_csv_archive_holds_one_file_per_kind_of_data(client, town):
    client.force_login(town["lea"])
    response = client.get(reverse("privacy:download-csv"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["adresses.csv", "avis.csv", "commandes.csv", "compte.csv"]

    def rows(name):
        text = archive.read(name).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))

    assert ["email", "lea@example.fr"] in rows("compte.csv")
    orders = rows("commandes.csv")
    assert orders[0][:5] == ["commande", "passee_le", "statut", "total_commande", "produit"]
    assert [r[0] for r in orders[1:]] == [str(town["lea_order"].number)]
    assert orders[1][4] == "Tomme de Savoie"
    assert rows("avis.csv")[1][:3] == ["Tomme de Savoie", "5", "Excellente"]
    assert str(town["paul_order"].number) not in str(orders)


def test_the_download_reads_a_fixed_number_of_queries(client, town):
    client.force_login(town["lea"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("privacy:download-json")).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(4):
        order_for(town["lea"], town["offer"])
    assert len(json.loads(client.get(reverse("privacy:download-json")).content)["commandes"]) == 5
    assert queries() == one


def test_a_resident_deletes_their_account_and_their_orders_are_anonymised(client, town):
    lea, order = town["lea"], town["lea_order"]
    lines_before = list(order.lines.values_list("title", "quantity", "line_price_incl_tax"))
    client.force_login(lea)
    response = client.post(reverse("privacy:data"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert not User.objects.filter(pk=lea.pk).exists()
    assert not UserAddress.objects.filter(line1="12 rue des Lilas").exists()
    assert not ProductReview.objects.filter(title="Excellente").exists()
    order.refresh_from_db()
    assert order.user_id is None and order.guest_email == ""
    address = order.shipping_address
    assert (address.first_name, address.line1, str(address.phone_number), address.notes) == (
        "", "", "", ""
    )  # fmt: skip
    assert address.last_name == "Client ayant supprimé son compte"
    assert (address.postcode, address.line4) == ("73100", "Digitaix")
    assert list(order.lines.values_list("title", "quantity", "line_price_incl_tax")) == (
        lines_before
    )
    assert order.shop_orders.get().shop == town["shop"]  # still in the shop's accounts
    # Signed out; the other resident's order is untouched.
    assert "_auth_user_id" not in client.session
    paul_order = Order.objects.get(pk=town["paul_order"].pk)
    assert paul_order.user == town["paul"] and paul_order.shipping_address.line1
    assert "Lea" not in str(ShippingAddress.objects.values_list("first_name", flat=True))


@pytest.mark.parametrize(
    "data, error",
    [
        ({"password": "pas-le-bon", "confirm": "on"}, "Ce n&#x27;est pas votre mot de passe."),
        ({"password": PASSWORD}, "Ce champ est obligatoire."),
    ],
)
def test_a_wrong_password_or_no_confirmation_deletes_nothing(client, town, data, error):
    client.force_login(town["lea"])
    response = client.post(reverse("privacy:data"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.filter(pk=town["lea"].pk).exists()
    assert Order.objects.get(pk=town["lea_order"].pk).user == town["lea"]


def test_an_order_in_progress_keeps_the_account_until_it_is_done(client, town):
    lea = town["lea"]
    current = order_for(lea, town["offer"], status="ready")
    client.force_login(lea)
    page = client.get(reverse("privacy:data")).content.decode()
    assert str(current.number) in page and "en cours" in page
    assert 'name="password"' not in page
    response = client.post(reverse("privacy:data"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and str(current.number) in response.content.decode()
    assert User.objects.filter(pk=lea.pk).exists()
    current.shop_orders.update(status="collected")
    client.post(reverse("privacy:data"), {"password": PASSWORD, "confirm": "on"})
    assert not User.objects.filter(pk=lea.pk).exists()


def test_a_merchants_or_a_staff_account_cannot_delete_itself(client, town):
    merchant = merchant_create(town["shop"], email="fromager@example.fr")
    staff = commerce_staff_create()
    for user in (merchant, staff):
        user.set_password(PASSWORD)
        user.save()
        client.force_login(user)
        page = client.get(reverse("privacy:data")).content.decode()
        assert "écrivez à la mairie" in page
        response = client.post(reverse("privacy:data"), {"password": PASSWORD, "confirm": "on"})
        assert response.status_code == 200
        assert User.objects.filter(pk=user.pk).exists()
