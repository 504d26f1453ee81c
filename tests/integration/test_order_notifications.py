"""Order e-mails: the resident's confirmation, each shop's alert with only its own lines, a
message on each status change; written in the outbox with the order, sent once after commit."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from kombu.exceptions import OperationalError
from oscar.core.loading import get_model

from messaging.models import OutboxMessage
from messaging.services import message_relay, message_send
from orders.services import shop_order_transition
from tests.checkout import basket_fill, checkout, checkout_to_preview, zone_create
from tests.factories import ShopFactory, merchant_create, product_offered, week_hours

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]
Order = get_model("order", "Order")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town(client):
    fromagerie = ShopFactory(
        name="Fromagerie du Lac", email="fromagerie@example.fr", address_line="2 rue Davat",
        postcode="73100", city="Aix-les-Bains",
    )  # fmt: skip
    librairie = ShopFactory(name="Librairie des Arcades", email="", offers_delivery=True)
    for shop in (fromagerie, librairie):
        week_hours(shop)
    zone_create(fee="3.50")
    bookseller = merchant_create(librairie, email="libraire@example.fr")
    client.force_login(get_user_model().objects.create_user("c", "camille@example.fr", "x"))
    return {
        "fromagerie": fromagerie,
        "librairie": librairie,
        "bookseller": bookseller,
        "comte": product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90"),
        "novel": product_offered(title="Roman du lac", shop=librairie, price="19.00"),
    }


def place(client, town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return checkout(
            client, town["comte"], town["novel"], modes={town["librairie"].pk: "delivery"}
        )


def by_recipient(mailoutbox) -> dict:
    return {tuple(message.to): message for message in mailoutbox}


def test_the_resident_and_each_shop_get_their_own_email(
    client, town, mailoutbox, django_capture_on_commit_callbacks
):
    order = place(client, town, django_capture_on_commit_callbacks)
    cheese, books = order.shop_orders.order_by("number")

    mails = by_recipient(mailoutbox)
    assert len(mailoutbox) == 3
    assert set(mails) == {
        ("camille@example.fr",),
        ("fromagerie@example.fr",),
        ("libraire@example.fr",),
    }
    confirmation = mails[("camille@example.fr",)]
    assert order.number in confirmation.subject
    html = confirmation.alternatives[0][0]
    for text in (cheese.number, books.number, "Comté 18 mois", "Roman du lac", "2 rue Davat"):
        assert text in confirmation.body and text in html
    assert (
        "Retrait en boutique" in confirmation.body and "Livraison à domicile" in confirmation.body
    )
    assert "3,50" in confirmation.body and "3 rue du Casino" in confirmation.body

    cheese_alert = mails[("fromagerie@example.fr",)]
    assert cheese.number in cheese_alert.subject and "Comté 18 mois" in cheese_alert.body
    assert "Roman du lac" not in cheese_alert.body + cheese_alert.alternatives[0][0]
    books_alert = mails[("libraire@example.fr",)]
    assert "Roman du lac" in books_alert.body and "Comté" not in books_alert.body
    assert "3 rue du Casino" in books_alert.body  # the delivery address, for the shop
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0


def test_each_status_change_tells_the_resident(
    client, town, mailoutbox, django_capture_on_commit_callbacks
):
    order = place(client, town, django_capture_on_commit_callbacks)
    books = order.shop_orders.get(shop=town["librairie"])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shop_order_transition(
            shop_order=books, to_status="refused", by=town["bookseller"], reason="Épuisé"
        )

    [mail] = mailoutbox
    assert mail.to == ["camille@example.fr"]
    assert books.number in mail.subject and "Refusée" in mail.subject
    assert "Motif : Épuisé" in mail.body


def test_an_order_that_fails_to_place_writes_and_sends_nothing(
    client, town, mailoutbox, django_capture_on_commit_callbacks
):
    basket_fill(client, town["comte"])
    checkout_to_preview(client)
    with django_capture_on_commit_callbacks(execute=True):  # refused: a tampered total
        response = client.post("/checkout/preview/", {"action": "place_order", "total": "1"})
    assert response.status_code == 302 and response["Location"] == "/checkout/preview/"
    assert not Order.objects.exists() and not OutboxMessage.objects.exists()
    assert mailoutbox == []


def test_a_message_handed_over_twice_is_sent_once(
    client, town, mailoutbox, django_capture_on_commit_callbacks
):
    place(client, town, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get(kind="order_confirmation")
    mailoutbox.clear()

    assert message_send(message_id=message.pk) is False
    assert message_relay() == 0
    assert mailoutbox == []
    message.refresh_from_db()
    assert message.attempts == 1 and message.sent_at is not None


def test_with_the_broker_down_the_order_is_placed_and_the_relay_sends_later(
    client, town, mailoutbox, django_capture_on_commit_callbacks
):
    down = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with mock.patch("messaging.tasks.send_outbox_message.apply_async", side_effect=down):
        order = place(client, town, django_capture_on_commit_callbacks)
        assert message_relay() == 0

    assert order.shop_orders.count() == 2 and mailoutbox == []
    assert OutboxMessage.objects.filter(sent_at__isnull=True, enqueued_at__isnull=True).count() == 3

    assert message_relay() == 3
    assert message_relay() == 0
    assert len(mailoutbox) == 3
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
