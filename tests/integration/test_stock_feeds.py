"""A shop's stock feed (issue 14, part 2), pulled from a real local HTTP server playing the
shop's till: our CSV, JSON, semicolon CSV with decimal commas in Windows-1252; conditional GET;
every run recorded; addresses of private networks refused; and the rule when both sides sell
(no unit Digitaix reserved is ever sold twice, no accepted order lost)."""

import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from oscar.core.loading import get_model

from shops.feeds import FeedError, address_allowed
from shops.services.feeds import stock_feed_pull, stock_feeds_due
from tests.factories import ShopFactory, merchant_create, product_offered

pytestmark = pytest.mark.django_db
StockFeed = get_model("partner", "StockFeed")
StockRecord = get_model("partner", "StockRecord")


class Till:
    """The shop's till publishing its stock file, with an ETag."""

    def __init__(self):
        self.body, self.content_type, self.status = b"", "text/csv", 200
        self.requests: list[dict] = []
        till = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                till.requests.append(dict(self.headers))
                etag = f'"{hash(till.body)}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(till.status)
                self.send_header("Content-Type", till.content_type)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(till.body)))
                self.end_headers()
                self.wfile.write(till.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/stock.csv"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def till(settings):
    settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK = True
    found = Till()
    yield found
    found.server.shutdown()


@pytest.fixture
def shop():
    shop = ShopFactory(name="Épicerie du Lac")
    for sku, title in (("MIEL-1", "Miel"), ("CONF-2", "Confiture"), ("THE-3", "Thé")):
        product = product_offered(title=title, shop=shop, price="5.00")
        StockRecord.objects.filter(product=product).update(partner_sku=sku, num_in_stock=10)
    return shop


@pytest.fixture
def feed(shop, till):
    return StockFeed.objects.create(shop=shop, url=till.url)


def stock(shop) -> dict:
    return dict(shop.stockrecords.values_list("partner_sku", "num_in_stock"))


def test_our_own_csv_updates_the_shelf_and_the_run_says_what_it_did(shop, feed, till):
    till.body = (
        b"sku;titre;prix;stock\nMIEL-1;Miel;6,50;3\nCONF-2;Confiture;5,00;10\nINCONNU;X;1;1\n"
    )
    run = stock_feed_pull(feed=feed)
    assert run.status == "applied", run.errors
    assert (run.rows_updated, run.rows_unchanged, run.unknown_count) == (1, 1, 1)
    assert run.unknown_skus == ["INCONNU"]
    assert stock(shop) == {"MIEL-1": 3, "CONF-2": 10, "THE-3": 10}
    assert shop.stockrecords.get(partner_sku="MIEL-1").price == Decimal("6.50")


def test_json_and_a_windows_1252_semicolon_file_with_decimal_commas(shop, feed, till):
    till.body = b'[{"sku": "MIEL-1", "stock": 4}, {"sku": "THE-3", "stock": 0, "prix": "7.90"}]'
    assert stock_feed_pull(feed=feed).status == "applied"
    assert stock(shop)["MIEL-1"] == 4 and stock(shop)["THE-3"] == 0
    till.body = "Référence;Quantité;Prix\nCONF-2;7;4,20\n".encode("cp1252")
    run = stock_feed_pull(feed=feed)
    assert run.status == "applied", run.errors
    offer = shop.stockrecords.get(partner_sku="CONF-2")
    assert (offer.num_in_stock, offer.price) == (7, Decimal("4.20"))


def test_an_unchanged_file_is_not_read_again(shop, feed, till):
    till.body = b"sku;stock\nMIEL-1;3\n"
    assert stock_feed_pull(feed=feed).status == "applied"
    StockRecord.objects.filter(partner_sku="MIEL-1").update(num_in_stock=9)  # by hand
    run = stock_feed_pull(feed=feed)
    assert run.status == "unchanged" and till.requests[-1]["If-None-Match"]
    assert stock(shop)["MIEL-1"] == 9


def test_bad_lines_are_reported_and_the_good_ones_applied(shop, feed, till):
    till.body = b"sku;stock\nMIEL-1;-2\nCONF-2;beaucoup\n;4\nTHE-3;5\n"
    run = stock_feed_pull(feed=feed)
    assert [error["line"] for error in run.errors] == [2, 3, 4]
    assert stock(shop) == {"MIEL-1": 10, "CONF-2": 10, "THE-3": 5}


@pytest.mark.parametrize(
    "status, body, message",
    [(404, b"", "404"), (200, b"{pas du json", "JSON"), (200, b"nom;prix\nMiel;3\n", "sku")],
)
def test_a_broken_feed_is_a_failed_run_and_changes_nothing(shop, feed, till, status, body, message):
    till.status, till.body = status, body
    run = stock_feed_pull(feed=feed)
    feed.refresh_from_db()
    assert run.status == "failed" and message in run.errors[0]["message"]
    assert feed.consecutive_failures == 1
    assert stock(shop) == {"MIEL-1": 10, "CONF-2": 10, "THE-3": 10}


def test_the_shelf_rule_when_the_till_and_digitaix_both_sell(shop, feed, till):
    """Online orders reserve 4 honey pots; the till sells on; pulls come in between."""
    StockRecord.objects.filter(partner_sku="MIEL-1").update(num_allocated=4)
    till.body = b"sku;stock\nMIEL-1;6\n"  # 6 on the shelf, 4 of them Digitaix's
    stock_feed_pull(feed=feed)
    honey = shop.stockrecords.get(partner_sku="MIEL-1")
    assert (honey.num_in_stock, honey.num_allocated) == (6, 4)  # 2 left to sell online
    assert honey.stock_source == "feed" and honey.stock_synced_at
    till.body = b"sku;stock\nMIEL-1;2\n"  # the till sold 4, 2 of them reserved online
    run = stock_feed_pull(feed=feed)
    honey.refresh_from_db()
    assert (honey.num_in_stock, honey.num_allocated) == (4, 4)  # none sellable, none lost
    assert "réservés" in run.errors[0]["message"]


def test_private_and_loopback_addresses_are_refused_in_production(settings):
    settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK = False
    for url in ("http://127.0.0.1/stock.csv", "http://10.0.0.8/s.csv", "http://169.254.169.254/",
                "http://[::1]/s.csv", "file:///etc/passwd", "ftp://example.fr/s.csv"):  # fmt: skip
        with pytest.raises(FeedError):
            address_allowed(url)


def test_due_feeds_and_the_command(shop, feed, till, capsys):
    till.body = b"sku;stock\nMIEL-1;3\n"
    assert stock_feeds_due() == [feed.pk]
    call_command("stock_feed_pull", "--shop", shop.code)
    assert "1 mise à jour" in capsys.readouterr().out
    assert stock_feeds_due() == []  # next run in an hour
    with pytest.raises(CommandError):
        call_command("stock_feed_pull", "--shop", "nulle-part")


def test_the_shop_is_emailed_once_after_three_failures_in_a_row(shop, feed, till):
    from messaging.models import OutboxMessage
    from messaging.services import message_send

    merchant_create(shop, email="epicier@example.fr")
    till.status = 500
    for _ in range(5):
        stock_feed_pull(feed=feed)
    failing = OutboxMessage.objects.filter(kind="stock_feed_failing")
    assert failing.count() == 1 and "500" in failing.get().context["error"]
    assert failing.get().recipients == ["epicier@example.fr"]
    assert message_send(message_id=failing.get().pk)  # it renders and leaves
    till.status, till.body = 200, b"sku;stock\nMIEL-1;3\n"
    stock_feed_pull(feed=feed)
    feed.refresh_from_db()
    assert feed.consecutive_failures == 0


# --- The feed in the merchant's space ------------------------------------------------------


def test_an_owner_sets_the_feed_and_sees_its_runs(client, shop, till, eager_celery):
    from django.urls import reverse

    owner = merchant_create(shop, email="owner@example.fr", role="owner")
    till.body = b"sku;stock\nMIEL-1;3\nINCONNU;1\n"
    client.force_login(owner)
    url = reverse("merchant:api-feed-set", kwargs={"slug": shop.code})
    response = client.post(url, {"url": till.url, "period": "15"}, follow=True)
    assert response.status_code == 200
    feed = StockFeed.objects.get(shop=shop)
    assert feed.period == 15 and stock(shop)["MIEL-1"] == 3  # first pull at once (eager here)
    page = response.content.decode()
    assert "INCONNU" in page and "Dernières lectures" in page


def test_a_private_address_is_refused_with_a_message(client, shop, settings):
    from django.urls import reverse

    settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK = False
    owner = merchant_create(shop, email="owner@example.fr", role="owner")
    client.force_login(owner)
    url = reverse("merchant:api-feed-set", kwargs={"slug": shop.code})
    response = client.post(url, {"url": "http://127.0.0.1/stock.csv", "period": "60"})
    assert response.status_code == 400 and response.context["feed_form"].errors["url"]
    assert not StockFeed.objects.exists()


def test_a_member_cannot_set_or_pull_the_feed(client, shop, feed):
    from django.urls import reverse

    member = merchant_create(shop, email="member@example.fr", role="member")
    client.force_login(member)
    set_url = reverse("merchant:api-feed-set", kwargs={"slug": shop.code})
    pull_url = reverse("merchant:api-feed-pull", kwargs={"slug": shop.code})
    assert client.post(set_url, {"url": "", "period": "60"}).status_code == 403
    assert client.post(pull_url).status_code == 403
    assert StockFeed.objects.filter(pk=feed.pk).exists() and not feed.runs.exists()
