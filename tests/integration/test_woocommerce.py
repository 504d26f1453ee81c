"""The WooCommerce connector (issue 14, part 3), against a local fake WooCommerce site
(tests/fakes/woocommerce_server.py) that speaks its REST API: Basic authentication,
pagination headers, variations, 401 on a wrong key, 429 and 5xx answered with retries.

Products are matched by SKU then EAN, the others become offers (new products go through the
town's moderation); Digitaix's orders take their units off the site and cancellations give
them back; and the rule when both sides sell holds through interleaved sales and pulls."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from oscar.core.loading import get_model

from orders.services import shop_order_transition
from shops.services.feeds import stock_feed_pull
from shops.services.woocommerce import woo_connect, woo_disconnect, woo_stock_pushes_due
from tests.factories import ShopFactory, merchant_create, product_offered
from tests.fakes.woocommerce_server import KEY, SECRET, FakeWooCommerce
from tests.payments import order_place

pytestmark = pytest.mark.django_db
StockFeed = get_model("partner", "StockFeed")
StockRecord = get_model("partner", "StockRecord")
WooStockPush = get_model("partner", "WooStockPush")

EAN = "3017620422003"


@pytest.fixture
def woo(settings):
    settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK = True
    settings.DIGITAIX_WOO_RETRY_SECONDS = 0.001
    site = FakeWooCommerce()
    yield site
    site.close()


@pytest.fixture
def shop():
    shop = ShopFactory(name="Épicerie du Lac")
    honey = product_offered(title="Miel de montagne", shop=shop, price="5.00")
    StockRecord.objects.filter(product=honey).update(partner_sku="MIEL-1", num_in_stock=10)
    jam = product_offered(title="Confiture", shop=shop, price="4.00", upc=EAN)
    StockRecord.objects.filter(product=jam).update(partner_sku="P-CONF", num_in_stock=10)
    return shop


def connect(shop, woo, period=60) -> StockFeed:
    return woo_connect(shop=shop, url=woo.url, key=KEY, secret=SECRET, period=period)


def offer(shop, sku: str) -> StockRecord:
    return shop.stockrecords.select_related("product").get(partner_sku=sku)


# --- Connecting and pulling ------------------------------------------------------------------


def test_a_pull_matches_by_sku_then_ean_and_makes_the_rest_offers(shop, woo):
    woo.product("Miel de montagne 500 g", sku="MIEL-1", price="6.50", stock=7)
    woo.product("Confiture d'abricots", sku="WOO-CONF", price="4.20", stock=3, ean=EAN)
    woo.product("Savon au lait d'ânesse", sku="SAV-1", price="8.00", stock=12)
    woo.variable("T-shirt du lac", [
        {"sku": "TS-S", "price": "15.00", "stock_quantity": 2,
         "attributes": [{"name": "Taille", "option": "S"}]},
        {"sku": "", "price": "15.00", "stock_quantity": 4,
         "attributes": [{"name": "Taille", "option": "M"}]},
    ])  # fmt: skip
    feed = connect(shop, woo)

    run = stock_feed_pull(feed=feed)

    assert run.status == "applied", run.errors
    assert (run.rows_updated, run.rows_created) == (2, 3)
    honey, jam = offer(shop, "MIEL-1"), offer(shop, "P-CONF")
    assert (honey.price, honey.num_in_stock, honey.stock_source) == (
        Decimal("6.50"), 7, "woocommerce"
    )  # fmt: skip
    assert (jam.price, jam.num_in_stock) == (Decimal("4.20"), 3)  # found by its EAN
    soap, small = offer(shop, "SAV-1"), offer(shop, "TS-S")
    assert (soap.num_in_stock, soap.product.title) == (12, "Savon au lait d'ânesse")
    assert small.product.title == "T-shirt du lac – S" and small.num_in_stock == 2
    medium = shop.stockrecords.get(partner_sku__startswith="WC", product__title__endswith="M")
    assert medium.num_in_stock == 4
    # New products are moderated like those made in the space: public at once, the town's
    # staff may withdraw them.
    assert soap.product.is_public and not soap.product.upc


def test_pages_are_followed_and_a_second_pull_changes_nothing(shop, woo):
    for i in range(105):
        woo.product(f"Carte postale n° {i}", sku=f"CP-{i:03d}", price="1.50", stock=i % 7)
    feed = connect(shop, woo)

    first = stock_feed_pull(feed=feed)
    second = stock_feed_pull(feed=feed)

    assert first.rows_created == 105 and shop.stockrecords.count() == 107
    assert any("page=2" in path for _method, path in woo.requests)
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 105)


def test_a_wrong_key_is_refused_at_connection_and_nothing_is_saved(shop, woo):
    with pytest.raises(ValidationError) as refused:
        woo_connect(shop=shop, url=woo.url, key=KEY, secret="cs_wrong", period=60)

    assert "refusé la clé" in str(refused.value.message_dict["woo_url"])
    assert not StockFeed.objects.exists()


def test_a_key_revoked_later_makes_a_failed_run_that_changes_nothing(shop, woo):
    woo.product("Miel", sku="MIEL-1", stock=1)
    feed = connect(shop, woo)
    feed.woo_secret = "cs_revoked"
    feed.save()

    run = stock_feed_pull(feed=feed)

    assert run.status == "failed" and "refusé la clé (401)" in run.errors[0]["message"]
    assert offer(shop, "MIEL-1").num_in_stock == 10


def test_429_and_5xx_are_retried_then_the_pull_goes_through(shop, woo):
    woo.product("Miel", sku="MIEL-1", stock=4)
    feed = connect(shop, woo)
    woo.faults = [429, 503, 502]

    run = stock_feed_pull(feed=feed)

    assert run.status == "applied" and offer(shop, "MIEL-1").num_in_stock == 4


def test_a_site_that_keeps_failing_is_a_failed_run(shop, woo):
    woo.product("Miel", sku="MIEL-1", stock=4)
    feed = connect(shop, woo)
    woo.faults = [500, 500, 500, 500]

    run = stock_feed_pull(feed=feed)

    assert run.status == "failed" and "500, 4 fois de suite" in run.errors[0]["message"]
    assert offer(shop, "MIEL-1").num_in_stock == 10
    assert feed.consecutive_failures == 1


def test_plain_http_and_private_addresses_are_refused_in_production(shop, settings):
    settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK = False

    for url, message in (
        ("http://boutique.example", "https://"),
        ("https://127.0.0.1", "réseau privé ou local"),
    ):
        with pytest.raises(ValidationError) as refused:
            woo_connect(shop=shop, url=url, key=KEY, secret=SECRET, period=60)
        assert message in str(refused.value)
    assert not StockFeed.objects.exists()


def test_an_item_whose_stock_woocommerce_does_not_count(shop, woo):
    woo.product("Miel", sku="MIEL-1", stock=None, stock_status="outofstock")
    feed = connect(shop, woo)

    stock_feed_pull(feed=feed)

    assert offer(shop, "MIEL-1").num_in_stock == 0  # out of stock, as the site says


# --- Digitaix's sales told to the site ---------------------------------------------------------


def test_an_order_takes_its_units_off_the_site_and_a_cancellation_gives_them_back(
    shop, woo, eager_celery, django_capture_on_commit_callbacks
):
    honey_id = woo.product("Miel", sku="MIEL-1", stock=7)
    feed = connect(shop, woo)
    stock_feed_pull(feed=feed)
    honey = offer(shop, "MIEL-1")

    with django_capture_on_commit_callbacks(execute=True):
        order = order_place((honey.product, 2))
    assert woo.stock_of(honey_id) == 5
    assert WooStockPush.objects.get().status == "sent"

    shop_order = order.shop_orders.get()
    with django_capture_on_commit_callbacks(execute=True):
        shop_order_transition(shop_order=shop_order, to_status="cancelled", reason="Rupture")
    assert woo.stock_of(honey_id) == 7
    assert [p["stock_quantity"] for _path, p in woo.puts] == [5, 7]


def test_a_push_the_site_refuses_is_retried_later_and_only_once_per_cause(shop, woo):
    honey_id = woo.product("Miel", sku="MIEL-1", stock=7)
    feed = connect(shop, woo)
    stock_feed_pull(feed=feed)
    woo.faults = [503] * 4

    order_place((offer(shop, "MIEL-1").product, 1))  # the after-commit hand-over never runs
    assert woo_stock_pushes_due() == 0
    push = WooStockPush.objects.get()
    assert (push.status, push.attempts, woo.stock_of(honey_id)) == ("pending", 1, 7)
    WooStockPush.objects.update(next_attempt_at=push.created_at)
    assert woo_stock_pushes_due() == 1
    assert woo_stock_pushes_due() == 0
    assert woo.stock_of(honey_id) == 6


def test_offers_the_site_does_not_know_and_shops_without_a_site_push_nothing(shop, woo):
    woo.product("Savon", sku="SAV-1", stock=3)
    connect(shop, woo)  # never pulled: no offer is linked to the site yet
    other = ShopFactory(name="Sans site")
    vase = product_offered(title="Vase", shop=other)

    order_place((offer(shop, "MIEL-1").product, 1))
    order_place((vase, 1))

    assert not WooStockPush.objects.exists()


def test_the_rule_when_the_site_and_digitaix_both_sell(shop, woo):
    """WooCommerce counts what it may still sell; Digitaix never sells a unit twice, never
    loses an order it accepted, whatever the order of sales, pushes and pulls."""
    honey_id = woo.product("Miel", sku="MIEL-1", stock=5)
    feed = connect(shop, woo)
    stock_feed_pull(feed=feed)

    def sellable() -> int:
        honey = offer(shop, "MIEL-1")
        return honey.num_in_stock - (honey.num_allocated or 0)

    assert sellable() == 5
    order = order_place((offer(shop, "MIEL-1").product, 2))  # Digitaix sells 2
    assert sellable() == 3
    stock_feed_pull(feed=feed)  # the site still says 5: the push has not left yet
    assert sellable() == 3
    woo_stock_pushes_due()  # the site now says 3
    assert woo.stock_of(honey_id) == 3
    woo.products[honey_id]["stock_quantity"] = 2  # the web shop sells 1
    stock_feed_pull(feed=feed)
    assert sellable() == 2
    shop_order = order.shop_orders.get()
    for status in ("accepted", "ready", "collected"):  # the resident collects the 2
        shop_order = shop_order_transition(shop_order=shop_order, to_status=status)
    honey = offer(shop, "MIEL-1")
    assert (honey.num_in_stock, honey.num_allocated) == (2, 0)
    stock_feed_pull(feed=feed)
    assert sellable() == 2
    late = order_place((offer(shop, "MIEL-1").product, 2))  # Digitaix sells the last 2...
    woo.products[honey_id]["stock_quantity"] = 0  # ...while the web shop sells them too
    stock_feed_pull(feed=feed)
    honey = offer(shop, "MIEL-1")
    assert sellable() == 0 and honey.num_allocated == 2  # nothing more sold, order kept
    assert late.shop_orders.get().status == "new"
    woo_stock_pushes_due()
    assert woo.stock_of(honey_id) == 0  # never below zero on the site


# --- In the merchant's space -------------------------------------------------------------------


def test_an_owner_connects_the_site_sees_the_first_run_and_disconnects(
    client, shop, woo, eager_celery
):
    woo.product("Miel", sku="MIEL-1", stock=3)
    owner = merchant_create(shop, email="owner@example.fr", role="owner")
    client.force_login(owner)
    url = reverse("merchant:api-woo-set", kwargs={"slug": shop.code})

    refused = client.post(url, {
        "woo-url": woo.url, "woo-key": KEY, "woo-secret": "cs_wrong", "woo-period": "60",
    })  # fmt: skip
    assert refused.status_code == 400 and refused.context["woo_form"].errors["url"]
    assert not StockFeed.objects.exists()

    response = client.post(url, {
        "woo-url": woo.url, "woo-key": KEY, "woo-secret": SECRET, "woo-period": "15",
    }, follow=True)  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "Site WooCommerce" in page and SECRET not in page
    assert offer(shop, "MIEL-1").num_in_stock == 3  # the first pull ran (eager here)

    remove = reverse("merchant:api-woo-remove", kwargs={"slug": shop.code})
    assert client.post(remove).status_code == 302
    assert not StockFeed.objects.exists()


def test_a_member_cannot_connect_or_disconnect_the_site(client, shop, woo):
    connect(shop, woo)
    member = merchant_create(shop, email="member@example.fr", role="member")
    client.force_login(member)
    set_url = reverse("merchant:api-woo-set", kwargs={"slug": shop.code})
    remove = reverse("merchant:api-woo-remove", kwargs={"slug": shop.code})

    assert client.post(set_url, {"woo-url": "https://x.example"}).status_code == 403
    assert client.post(remove).status_code == 403
    assert StockFeed.objects.get(shop=shop).woo_secret == SECRET


def test_disconnecting_forgets_the_key(shop, woo):
    connect(shop, woo)

    assert woo_disconnect(shop=shop) is True
    assert woo_disconnect(shop=shop) is False
    assert not StockFeed.objects.exists()


def test_a_new_item_whose_stock_woocommerce_does_not_count_is_created_at_0_and_reported(shop, woo):
    woo.product("Bouquet du jour", sku="FLEURS", stock=None, price="12.00")
    feed = connect(shop, woo)

    run = stock_feed_pull(feed=feed)

    assert run.rows_created == 1 and offer(shop, "FLEURS").num_in_stock == 0
    assert "ne compte pas le stock" in run.errors[0]["message"]


def test_a_site_that_does_not_answer_is_said_in_words_a_shopkeeper_can_act_on(shop, woo):
    with pytest.raises(ValidationError) as refused:
        woo_connect(shop=shop, url="http://127.0.0.1:9", key=KEY, secret=SECRET, period=60)

    assert "Site injoignable : connexion impossible" in str(refused.value)
    assert "Error" not in str(refused.value)  # no Python exception's name
