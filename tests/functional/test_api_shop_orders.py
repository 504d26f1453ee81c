"""`/api/v1/shop-orders/`: the key's shop's parts of residents' orders, only its own lines and
totals, never a click & collect customer's address, and the space's actions through the same
checks and services, so the resident gets the same e-mails (issue 14, part 1)."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from messaging.models import OutboxMessage
from orders.models import ShopOrder
from orders.services import shop_order_transition
from tests.factories import ShopFactory
from tests.shop_orders import HOME, shop_order_place, slot_at

pytestmark = pytest.mark.django_db
ShopApiKey = get_model("partner", "ShopApiKey")
PROBLEM = "application/problem+json"


@pytest.fixture
def bakery():
    return ShopFactory(name="Boulangerie")


def key(shop, scope="write") -> dict:
    secret = ShopApiKey.objects.create_key(shop=shop, name="Caisse", scope=scope)[1]
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


def transition(client, shop_order, auth, **body):
    url = reverse("api-shop-order-transition", kwargs={"number": shop_order.number})
    return client.post(url, body, content_type="application/json", **auth)


def test_the_list_holds_the_shops_own_orders_only(client, bakery):
    mine = shop_order_place(bakery, slot_start=slot_at(days=1))
    shop_order_place(ShopFactory(name="Fromagerie"), slot_start=slot_at(days=1))
    body = client.get(reverse("api-shop-orders"), **key(bakery, "read")).json()
    assert [row["number"] for row in body["results"]] == [mine.number]
    row = body["results"][0]
    assert row["customer"] == "Camille Martin" and row["status"] == "new"
    assert row["delivery_address"] is None
    assert HOME["line1"] not in str(body)
    assert row["actions"][:2] == ["accepted", "refused"]


def test_a_delivery_shows_its_address_and_the_detail_its_lines(client, bakery):
    delivery = shop_order_place(bakery, fulfilment="delivery", slot_start=slot_at(days=1))
    url = reverse("api-shop-order", kwargs={"number": delivery.number})
    body = client.get(url, **key(bakery, "read")).json()
    assert HOME["line1"] in body["delivery_address"]
    assert [(line["title"], line["quantity"]) for line in body["lines"]] == [("Tarte", 1)]


def test_filters_narrow_the_list_and_a_bad_one_is_a_400(client, bakery):
    first = shop_order_place(bakery, slot_start=slot_at(days=1))
    shop_order_place(bakery, slot_start=slot_at(days=1))
    shop_order_transition(shop_order=first, to_status="accepted")
    auth = key(bakery, "read")
    accepted = client.get(reverse("api-shop-orders"), {"status": "accepted"}, **auth).json()
    assert [row["number"] for row in accepted["results"]] == [first.number]
    bad = client.get(reverse("api-shop-orders"), {"status": "perdue"}, **auth)
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM


def test_another_shops_order_is_a_404_for_reading_and_moving(client, bakery):
    theirs = shop_order_place(ShopFactory(name="Fromagerie"), slot_start=slot_at(days=1))
    auth = key(bakery)
    url = reverse("api-shop-order", kwargs={"number": theirs.number})
    assert client.get(url, **auth).status_code == 404
    assert transition(client, theirs, auth, to="accepted").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "new"


def test_moves_follow_the_workflow_and_email_the_resident(client, bakery):
    shop_order = shop_order_place(bakery, slot_start=slot_at(days=1))
    auth = key(bakery)
    before = OutboxMessage.objects.count()
    for to in ("accepted", "ready", "collected_paid"):
        response = transition(client, shop_order, auth, to=to)
        assert response.status_code == 200, response.json()
    shop_order.refresh_from_db()
    assert shop_order.status == "collected" and shop_order.is_paid
    assert OutboxMessage.objects.count() > before  # the resident's e-mails, as from the space
    assert response.json()["actions"] == []
    # The history says the till's key did it (no account acted).
    assert set(shop_order.events.values_list("via", flat=True)) == {"API (clé « Caisse »)"}
    from tests.factories import merchant_create

    client.force_login(merchant_create(bakery))
    url = reverse("shop-orders:detail", kwargs={"slug": bakery.code, "number": shop_order.number})
    page = client.get(url)
    assert "par API (clé « Caisse »)" in page.content.decode()


def test_a_move_the_workflow_forbids_is_a_400_and_changes_nothing(client, bakery):
    shop_order = shop_order_place(bakery, slot_start=slot_at(days=1))
    auth = key(bakery)
    response = transition(client, shop_order, auth, to="collected")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert "to" in response.json()["errors"]
    refused = transition(client, shop_order, auth, to="refused")
    assert "reason" in refused.json()["errors"]
    unknown = transition(client, shop_order, auth, to="volée")
    assert unknown.status_code == 400
    shop_order.refresh_from_db()
    assert shop_order.status == "new"


def test_a_move_on_a_stale_status_is_refused(client, bakery):
    shop_order = shop_order_place(bakery, slot_start=slot_at(days=1))
    shop_order_transition(shop_order=shop_order, to_status="accepted")
    response = transition(client, shop_order, key(bakery), to="refused", reason="Rupture",
                          expected_status="new")  # fmt: skip
    assert response.status_code == 400
    shop_order.refresh_from_db()
    assert shop_order.status == ShopOrder.Status.ACCEPTED


def test_a_read_key_cannot_move_an_order(client, bakery):
    shop_order = shop_order_place(bakery, slot_start=slot_at(days=1))
    assert transition(client, shop_order, key(bakery, "read"), to="accepted").status_code == 403
    shop_order.refresh_from_db()
    assert shop_order.status == "new"


@pytest.mark.parametrize("count", [2, 8])
def test_the_list_runs_the_same_queries_for_2_or_8_orders(
    client, bakery, count, django_assert_num_queries
):
    for _ in range(count):
        shop_order_place(bakery, slot_start=slot_at(days=1))
    auth = key(bakery, "read")
    client.get(reverse("api-shop"), **auth)  # the key's use recorded: no write below
    # The request's savepoint and release, the key with its shop, the page of shop orders.
    with django_assert_num_queries(4):
        assert client.get(reverse("api-shop-orders"), **auth).status_code == 200
