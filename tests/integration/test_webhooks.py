"""A shop's webhooks (issue 14, part 4), against a real local HTTP receiver: each event is
written with its cause, signed (`Digitaix-Signature`, checked here with the README's own
ten lines), retried with back-off on errors and time-outs until 3 days after the event, sent
in order per shop order, and carries an id the receiver can dedupe on."""

import datetime
import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.core.loading import get_model

from orders.services import shop_order_transition
from shops.services.webhooks import (
    webhook_deliveries_due,
    webhook_delivery_attempt,
    webhook_delivery_resend,
    webhook_endpoint_create,
)
from tests.factories import ShopFactory
from tests.shop_orders import shop_order_place, slot_at

pytestmark = pytest.mark.django_db
WebhookDelivery = get_model("partner", "WebhookDelivery")
ALL = ["shop_order.created", "shop_order.status_changed", "shop_order.cancelled"]


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The README's check of a delivery's signature (what a shop's developer writes)."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Receiver:
    """A shop's webhook receiver: records what it gets, answers the statuses it is told."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []  # next statuses to answer (then 200)
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(receiver.delay)
                receiver.received.append((dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/digitaix"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[tuple[str, str]]:
        return [(json.loads(body)["type"], json.loads(body)["data"]["status"])
                for _headers, body in self.received]  # fmt: skip


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.server.shutdown()


@pytest.fixture
def shop(settings):
    settings.DIGITAIX_WEBHOOKS_ALLOW_HTTP = True
    return ShopFactory(name="Boulangerie")


@pytest.fixture
def endpoint(shop, receiver):
    return webhook_endpoint_create(shop=shop, url=receiver.url, events=ALL, by=None)


def send_due():
    """What the periodic task does (the tests run without a broker)."""
    return webhook_deliveries_due()


def test_a_new_order_reaches_the_shops_tool_signed(shop, endpoint, receiver):
    shop_order = shop_order_place(shop, slot_start=slot_at(days=1))
    assert send_due() == 1
    headers, body = receiver.received[0]
    assert verify(endpoint.secret, headers["Digitaix-Signature"], body)
    assert not verify("un-autre-secret", headers["Digitaix-Signature"], body)
    assert not verify(endpoint.secret, headers["Digitaix-Signature"], body + b" ")
    event = json.loads(body)
    assert event["type"] == "shop_order.created" and event["shop"] == shop.code
    assert event["data"]["number"] == shop_order.number and event["data"]["total"]
    assert event["id"] == str(WebhookDelivery.objects.get().event_id)


def test_another_shops_order_never_reaches_this_endpoint(shop, endpoint, receiver):
    shop_order_place(ShopFactory(name="Fromagerie"), slot_start=slot_at(days=1))
    assert send_due() == 0 and receiver.received == []


def test_an_error_is_retried_with_back_off_and_the_same_event_id(shop, endpoint, receiver):
    receiver.answers = [500, 503]
    shop_order_place(shop, slot_start=slot_at(days=1))
    assert send_due() == 0
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert send_due() == 0 and len(receiver.received) == 1  # not due yet
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1, seconds=5)):
        assert send_due() == 0  # 503
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=4)):
        assert send_due() == 1
    ids = {json.loads(body)["id"] for _headers, body in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1


def test_a_time_out_is_an_error_retried_later(shop, endpoint, receiver, monkeypatch):
    monkeypatch.setattr("shops.services.webhooks.TIMEOUT_SECONDS", 0.2)
    receiver.delay = 0.5
    shop_order_place(shop, slot_start=slot_at(days=1))
    assert send_due() == 0
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "Timeout" in delivery.last_error


def test_events_of_one_order_leave_in_order(shop, endpoint, receiver):
    shop_order = shop_order_place(shop, slot_start=slot_at(days=1))
    receiver.answers = [500]  # the "created" event fails once
    send_due()
    shop_order = shop_order_transition(shop_order=shop_order, to_status="accepted")
    shop_order_transition(shop_order=shop_order, to_status="cancelled", reason="Rupture")
    pending = list(WebhookDelivery.objects.filter(status="pending").order_by("pk"))
    for delivery in pending[1:]:  # handed over early: they wait for the first one
        assert webhook_delivery_attempt(delivery_id=delivery.pk) == "pending"
    assert len(receiver.received) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        send_due()
    assert receiver.events()[1:] == [
        ("shop_order.created", "new"),
        ("shop_order.status_changed", "accepted"),
        ("shop_order.status_changed", "cancelled"),
        ("shop_order.cancelled", "cancelled"),
    ]


def test_a_delivery_is_given_up_three_days_after_its_event(shop, endpoint, receiver):
    receiver.answers = [500] * 100
    shop_order_place(shop, slot_start=slot_at(days=1))
    send_due()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, hours=23)):
        send_due()
        assert WebhookDelivery.objects.get().status == "pending"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        send_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 3
    receiver.answers = []
    webhook_delivery_resend(delivery=delivery)
    assert send_due() == 1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_an_endpoint_listens_only_to_its_events(shop, receiver):
    webhook_endpoint_create(shop=shop, url=receiver.url, events=["shop_order.cancelled"], by=None)
    shop_order = shop_order_place(shop, slot_start=slot_at(days=1))
    shop_order_transition(shop_order=shop_order, to_status="cancelled", reason="Fermé")
    send_due()
    assert receiver.events() == [("shop_order.cancelled", "cancelled")]


@pytest.mark.parametrize(
    "url, events, field",
    [
        ("http://outil.example.fr/hook", ALL, "url"),
        ("ftp://outil.example.fr/hook", ALL, "url"),
        ("https://outil.example.fr/hook", [], "events"),
        ("https://outil.example.fr/hook", ["order.paid"], "events"),
    ],
)
def test_a_bad_endpoint_is_refused(settings, url, events, field):
    settings.DIGITAIX_WEBHOOKS_ALLOW_HTTP = False
    shop = ShopFactory(name="Boulangerie")
    with pytest.raises(ValidationError) as refused:
        webhook_endpoint_create(shop=shop, url=url, events=events, by=None)
    assert field in refused.value.message_dict
    assert not shop.webhook_endpoints.exists()


# --- offer.out_of_stock -------------------------------------------------------------------------


@pytest.fixture
def stock_endpoint(shop, receiver):
    return webhook_endpoint_create(
        shop=shop, url=receiver.url, events=[*ALL, "offer.out_of_stock"], by=None
    )


def test_an_offer_that_runs_out_online_is_announced_once(shop, stock_endpoint, receiver):
    from tests.factories import ProductFactory, StockRecordFactory

    offer = StockRecordFactory(
        partner=shop, product=ProductFactory(title="Tarte"), num_in_stock=2, partner_sku="TARTE"
    )
    shop_order_place(shop, slot_start=slot_at(days=1), offer=offer, quantity=1)
    assert receiver_events_after(send_due, receiver) == ["shop_order.created"]
    shop_order_place(shop, slot_start=slot_at(days=1), offer=offer, quantity=1)  # the last one

    assert sorted(receiver_events_after(send_due, receiver)) == [
        "offer.out_of_stock", "shop_order.created", "shop_order.created"
    ]  # fmt: skip
    [event] = [json.loads(body) for _h, body in receiver.received if b"offer.out_of_stock" in body]
    assert event["data"] == {
        "id": offer.pk, "sku": "TARTE", "ean": offer.product.upc, "title": "Tarte",
        "num_in_stock": 2, "num_allocated": 2,
    }  # fmt: skip


def test_a_stock_update_that_empties_an_offer_is_announced_and_not_one_that_does_not(
    shop, stock_endpoint, receiver
):
    from shops.services.offers import OfferChange, offers_stock_update
    from tests.factories import ProductFactory, StockRecordFactory

    full = StockRecordFactory(partner=shop, product=ProductFactory(title="Pain"), num_in_stock=5)
    empty = StockRecordFactory(
        partner=shop, product=ProductFactory(title="Brioche"), num_in_stock=0
    )
    zero = {
        offer.pk: OfferChange(price=offer.price, num_in_stock=0, is_on_sale=True)
        for offer in (full, empty)
    }

    offers_stock_update(shop=shop, changes=zero, source="api")
    offers_stock_update(shop=shop, changes=zero, source="api")  # still 0: nothing more

    assert receiver_events_after(send_due, receiver) == ["offer.out_of_stock"]
    assert json.loads(receiver.received[0][1])["data"]["id"] == full.pk


def receiver_events_after(send, receiver) -> list[str]:
    send()
    return [json.loads(body)["type"] for _headers, body in receiver.received]


def test_every_event_of_an_order_writes_amounts_and_times_alike(shop, endpoint, receiver):
    shop_order = shop_order_place(shop, slot_start=slot_at(days=1))
    shop_order_transition(shop_order=shop_order, to_status="accepted")
    send_due()

    created, changed = (json.loads(body)["data"] for _h, body in receiver.received)
    for key in ("lines_total", "shipping_total", "total"):
        assert created[key] == changed[key] and re.fullmatch(r"\d+\.\d\d", created[key]), key
    # Times in the town's local time, as the API writes them.
    local = timezone.localtime(shop_order.slot_start).isoformat()
    assert changed["slot_start"] == local
