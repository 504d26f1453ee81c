"""`POST /api/v1/stock/`: many offers' stock and prices by SKU, all or nothing, every bad line
reported with its number, and a retried request under the same `Idempotency-Key` answered
once (issue 14, part 1)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import ShopFactory, product_offered

pytestmark = pytest.mark.django_db
ShopApiKey = get_model("partner", "ShopApiKey")
StockRecord = get_model("partner", "StockRecord")
PROBLEM = "application/problem+json"


@pytest.fixture
def shop():
    shop = ShopFactory(name="Fromagerie du Lac")
    for n, title in enumerate(("Comté", "Beaufort", "Tomme")):
        product = product_offered(title=title, shop=shop, price="5.00")
        StockRecord.objects.filter(product=product).update(partner_sku=f"SKU-{n}", num_in_stock=10)
    return shop


@pytest.fixture
def secret(shop):
    return ShopApiKey.objects.create_key(shop=shop, name="Caisse", scope="write")[1]


def post(client, secret, body, **headers):
    extra = {"HTTP_AUTHORIZATION": f"Api-Key {secret}", **headers}
    return client.post(reverse("api-stock"), body, content_type="application/json", **extra)


def stock(shop) -> dict:
    return dict(shop.stockrecords.values_list("partner_sku", "num_in_stock"))


def test_lines_set_stock_and_prices_in_one_go(client, shop, secret):
    body = {"lines": [
        {"sku": "SKU-0", "num_in_stock": 4},
        {"sku": "SKU-1", "num_in_stock": 0, "price": "8.40"},
        {"sku": "SKU-2", "num_in_stock": 10},
    ]}  # fmt: skip
    response = post(client, secret, body)
    assert response.status_code == 200, response.json()
    assert response.json() == {"lines": 3, "updated": 2, "unchanged": 1}
    assert stock(shop) == {"SKU-0": 4, "SKU-1": 0, "SKU-2": 10}
    assert shop.stockrecords.get(partner_sku="SKU-1").price == Decimal("8.40")


def test_one_bad_line_refuses_them_all_with_each_line_reported(client, shop, secret):
    other = ShopFactory(name="Librairie")
    product = product_offered(title="Livre", shop=other)
    StockRecord.objects.filter(product=product).update(partner_sku="LIVRE-1")
    StockRecord.objects.filter(partner_sku="SKU-2").update(num_allocated=3)
    body = {"lines": [
        {"sku": "SKU-0", "num_in_stock": 1},
        {"sku": "INCONNU", "num_in_stock": 1},
        {"sku": "LIVRE-1", "num_in_stock": 1},  # another shop's: unknown here
        {"sku": "SKU-0", "num_in_stock": 2},
        {"sku": "SKU-1", "num_in_stock": -1, "price": "0"},
    ]}  # fmt: skip
    response = post(client, secret, body)
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    lines = response.json()["errors"]["lines"]
    assert [line["line"] for line in lines] == [5]  # the format first: line 5 only
    assert set(lines[0]["errors"]) == {"num_in_stock", "price"}
    body["lines"].pop()
    lines = post(client, secret, body).json()["errors"]["lines"]
    assert [(line["line"], line["sku"]) for line in lines] == [
        (2, "INCONNU"), (3, "LIVRE-1"), (4, "SKU-0"),
    ]  # fmt: skip
    held = post(client, secret, {"lines": [{"sku": "SKU-2", "num_in_stock": 2}]}).json()
    assert "réservées" in held["errors"]["lines"][0]["errors"]["num_in_stock"][0]
    assert stock(shop) == {"SKU-0": 10, "SKU-1": 10, "SKU-2": 10}


@pytest.mark.parametrize(
    "body",
    [{}, {"lines": []}, {"lines": "SKU-0"}, {"lines": [1, 2]}, [], "texte", {"lines": [None]}],
)
def test_a_malformed_request_is_a_400_problem(client, shop, secret, body):
    response = post(client, secret, body)
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert stock(shop) == {"SKU-0": 10, "SKU-1": 10, "SKU-2": 10}


def test_more_than_5000_lines_are_refused(client, shop, secret):
    lines = [{"sku": "SKU-0", "num_in_stock": 1}] * 5001
    response = post(client, secret, {"lines": lines})
    assert response.status_code == 400 and "lines" in response.json()["errors"]


def test_a_read_key_cannot_post_stock(client, shop):
    read = ShopApiKey.objects.create_key(shop=shop, name="Lecture", scope="read")[1]
    response = post(client, read, {"lines": [{"sku": "SKU-0", "num_in_stock": 1}]})
    assert response.status_code == 403
    assert stock(shop)["SKU-0"] == 10


def test_a_retried_request_changes_nothing_twice(client, shop, secret):
    body = {"lines": [{"sku": "SKU-0", "num_in_stock": 4}]}
    first = post(client, secret, body, HTTP_IDEMPOTENCY_KEY="vente-0001")
    assert first.status_code == 200
    StockRecord.objects.filter(partner_sku="SKU-0").update(num_in_stock=9)  # sold in the shop
    again = post(client, secret, body, HTTP_IDEMPOTENCY_KEY="vente-0001")
    assert again.status_code == 200 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert stock(shop)["SKU-0"] == 9
    other = post(client, secret, {"lines": [{"sku": "SKU-0", "num_in_stock": 1}]},
                 HTTP_IDEMPOTENCY_KEY="vente-0001")  # fmt: skip
    assert other.status_code == 422 and other["Content-Type"] == PROBLEM
    assert stock(shop)["SKU-0"] == 9


def test_a_refused_request_can_be_retried_under_its_key(client, shop, secret):
    bad = {"lines": [{"sku": "INCONNU", "num_in_stock": 4}]}
    assert post(client, secret, bad, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 400
    good = {"lines": [{"sku": "SKU-0", "num_in_stock": 4}]}
    assert post(client, secret, good, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 200
    assert post(client, secret, bad, HTTP_IDEMPOTENCY_KEY="k-1").status_code == 400
    assert stock(shop)["SKU-0"] == 4


def test_the_same_key_in_two_shops_is_two_requests(client, shop, secret):
    other = ShopFactory(name="Crèmerie")
    product = product_offered(title="Reblochon", shop=other)
    StockRecord.objects.filter(product=product).update(partner_sku="SKU-0", num_in_stock=10)
    other_secret = ShopApiKey.objects.create_key(shop=other, name="B", scope="write")[1]
    body = {"lines": [{"sku": "SKU-0", "num_in_stock": 4}]}
    assert post(client, secret, body, HTTP_IDEMPOTENCY_KEY="k").status_code == 200
    assert post(client, other_secret, body, HTTP_IDEMPOTENCY_KEY="k").status_code == 200
    assert stock(other)["SKU-0"] == 4


def test_each_offer_says_where_its_stock_last_came_from_and_when(client, shop, secret):
    from tests.factories import merchant_create

    response = post(client, secret, {"lines": [{"sku": "SKU-0", "num_in_stock": 10}]})
    assert response.status_code == 200  # unchanged, but confirmed by the till

    offers = client.get(
        reverse("api-offers"), {"sku": "SKU-0"}, HTTP_AUTHORIZATION=f"Api-Key {secret}"
    ).json()["results"]
    assert offers[0]["stock_source"] == "api" and offers[0]["stock_synced_at"]
    others = shop.stockrecords.exclude(partner_sku="SKU-0")
    assert set(others.values_list("stock_source", flat=True)) == {""}

    client.force_login(merchant_create(shop))
    page = client.get(reverse("merchant:products", kwargs={"slug": shop.code}))
    assert re.search(r"API, (maintenant|il y a \d+\xa0seconde)", page.content.decode())
