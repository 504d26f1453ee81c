"""The keyless, read-only endpoints (`/api/v1/public/`): live shops and products on sale only,
searched as on the site, calls limited per address (issue 14, part 1)."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.services import product_search_refresh
from tests.factories import ShopFactory, product_offered

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")


@pytest.fixture
def town():
    live = ShopFactory(name="Fromagerie du Lac", trade="fromagerie")
    pending = ShopFactory(name="Épicerie en attente", status="pending")
    comte = product_offered(title="Comté 18 mois", shop=live, price="6.90")
    product_offered(title="Confiture secrète", shop=pending)
    withdrawn = product_offered(title="Tomme retirée", shop=live)
    Product.objects.filter(pk=withdrawn.pk).update(is_public=False)
    product_search_refresh()
    return {"live": live, "pending": pending, "comte": comte}


def test_public_shops_are_the_live_ones_without_a_key(client, town):
    body = client.get(reverse("api-public-shops")).json()
    assert [row["name"] for row in body["results"]] == ["Fromagerie du Lac"]
    assert body["results"][0]["url"].endswith(f"/boutiques/{town['live'].code}/")
    found = client.get(reverse("api-public-shops"), {"q": "fromagerie"}).json()
    assert [row["code"] for row in found["results"]] == [town["live"].code]


def test_public_products_are_those_on_sale_with_their_offers(client, town):
    body = client.get(reverse("api-public-products")).json()
    assert [row["title"] for row in body["results"]] == ["Comté 18 mois"]
    offer = body["results"][0]["offers"][0]
    assert offer == {"shop": "Fromagerie du Lac", "shop_code": town["live"].code, "price": "6.90"}
    searched = client.get(reverse("api-public-products"), {"q": "comte"}).json()
    assert [row["id"] for row in searched["results"]] == [town["comte"].pk]
    assert client.get(reverse("api-public-products"), {"q": "tomme"}).json()["results"] == []


def test_a_query_too_long_is_a_400_problem(client, town):
    response = client.get(reverse("api-public-products"), {"q": "x" * 201})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_public_calls_are_limited_per_address(client, town):
    from rest_framework.throttling import SimpleRateThrottle

    saved = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**saved, "api_public": "2/min"}
    try:
        url = reverse("api-public-shops")
        statuses = [client.get(url, REMOTE_ADDR="192.0.2.1").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert client.get(url, REMOTE_ADDR="192.0.2.2").status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = saved


def test_writing_to_a_public_endpoint_is_refused(client, town):
    response = client.post(reverse("api-public-shops"), {}, content_type="application/json")
    assert response.status_code == 405
