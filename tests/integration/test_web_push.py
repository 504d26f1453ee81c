"""A new shop order rings on the phones of the shop's team: Web Push through the outbox.

Against a local push service (tests/fakes/push_service.py) that checks the VAPID signature and
decrypts each payload with the keys of the subscription, which the test made as a browser
does: what is asserted is what the phone would show.
"""

import json
import os
import re
import socket
import time

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from digitaix.celery import app
from messaging.models import OutboxMessage, PushSubscription
from messaging.push import PushTemporaryError
from messaging.services import (
    message_enqueue,
    message_relay,
    message_send,
    push_subscription_save,
)
from messaging.tasks import send_outbox_message
from orders.models import ShopOrder
from orders.outbox import SHOP_NEW_ORDER_PUSH, shop_new_order_pushes_add
from orders.services import shop_order_transition
from tests.celery_worker import CLOSED_PORT, broker_use, worker_running
from tests.checkout import checkout
from tests.factories import ShopFactory, merchant_create, product_offered, week_hours
from tests.fakes.push_service import Browser, b64url, vapid_pair
from tests.integration.test_outbox import live_broker, wait_until  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]
pytest_plugins = ["tests.fakes.push_service"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town(client):
    bakery = ShopFactory(name="Boulangerie du Port", email="boulangerie@example.fr")
    florist = ShopFactory(name="Fleurs d'Élise", email="fleurs@example.fr")
    week_hours(bakery)
    client.force_login(get_user_model().objects.create_user("c", "camille@example.fr", "x" * 12))
    return {
        "bakery": bakery,
        "owner": merchant_create(bakery, email="owner@example.fr", role="owner"),
        "baker": merchant_create(bakery, email="baker@example.fr"),
        "florist": merchant_create(florist, email="elise@example.fr", role="owner"),
        "bread": product_offered(title="Pain de campagne", shop=bakery, price="3.45"),
    }


def phone(fake, user) -> Browser:
    """A browser of `user` subscribed to the fake push service."""
    browser = fake.browser()
    push_subscription_save(
        user=user, endpoint=browser.endpoint, p256dh=browser.p256dh, auth=b64url(browser.auth)
    )
    return browser


def place(client, town, django_capture_on_commit_callbacks) -> ShopOrder:
    with django_capture_on_commit_callbacks(execute=True):
        order = checkout(client, town["bread"], quantity=2)
    return order.shop_orders.get()


def pushes() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=SHOP_NEW_ORDER_PUSH).order_by("pk"))


def test_a_new_order_rings_once_on_each_phone_of_the_team_and_no_other_shops(
    client, town, fake_push, mailoutbox, django_capture_on_commit_callbacks
):
    owners_phone, owners_tablet = phone(fake_push, town["owner"]), phone(fake_push, town["owner"])
    bakers_phone = phone(fake_push, town["baker"])
    florists_phone = phone(fake_push, town["florist"])

    shop_order = place(client, town, django_capture_on_commit_callbacks)

    assert fake_push.errors == []
    assert florists_phone.attempts == 0 and florists_phone.received == []
    (payload,) = owners_phone.received
    assert owners_tablet.received == bakers_phone.received == [payload]
    assert payload["title"] == f"Nouvelle commande {shop_order.number}"
    bakery = town["bakery"]
    assert payload["url"] == f"/ma-boutique/{bakery.code}/commandes/{shop_order.number}/"
    assert payload["icon"] == "/static/digitaix/img/app/icon-192.png"
    start = timezone.localtime(shop_order.slot_start)
    assert re.fullmatch(r"2 articles · 6,90\xa0€ · retrait \S+ \d+ \S+, \d\d:\d\d–\d\d:\d\d",
                        payload["body"]), payload["body"]  # fmt: skip
    assert f"{start:%H:%M}–" in payload["body"]
    # Nothing about the customer: no name, address, e-mail or phone.
    text = json.dumps(payload, ensure_ascii=False)
    for private in ("Camille", "Martin", "camille@", "Casino", "06 12"):
        assert private not in text
    assert all(h["urgency"] == "high" and int(h["ttl"]) > 3600 for h in fake_push.headers)
    assert all(message.sent_at and message.attempts == 1 for message in pushes())
    assert PushSubscription.objects.filter(last_success_at__isnull=False).count() == 3
    # The e-mail is sent as before.
    assert [mail.to for mail in mailoutbox if shop_order.number in mail.subject] == [
        ["boulangerie@example.fr"]
    ]


def test_running_the_outbox_again_sends_no_push_twice(
    client, town, fake_push, django_capture_on_commit_callbacks
):
    browser = phone(fake_push, town["owner"])
    shop_order = place(client, town, django_capture_on_commit_callbacks)

    assert message_relay() == 0
    assert [message_send(message_id=message.pk) for message in pushes()] == [False]
    # The order's notifications written again (a payment webhook delivered twice): no new row.
    assert shop_new_order_pushes_add(shop_order=shop_order) == 0
    assert browser.attempts == 1 and len(browser.received) == 1


@pytest.mark.parametrize("gone", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_deleted_and_not_retried(
    client, town, fake_push, django_capture_on_commit_callbacks, gone
):
    stale, fresh = phone(fake_push, town["owner"]), phone(fake_push, town["baker"])
    stale.answers = [gone]

    place(client, town, django_capture_on_commit_callbacks)

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [fresh.endpoint]
    closed = OutboxMessage.objects.get(recipients=[stale.endpoint])
    assert closed.sent_at is not None and str(gone) in closed.last_error
    assert message_relay() == 0
    assert stale.attempts == 1 and stale.received == []
    assert len(fresh.received) == 1


@pytest.fixture
def celery_retries_in_process(eager_celery):
    """Eager tasks that fail are not raised at the caller but retried at once, as declared
    (`autoretry_for`): what a worker does, minus the back-off's wait."""
    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


@pytest.mark.parametrize("temporary", [500, 503, 429])
def test_a_temporary_refusal_is_retried_then_delivered(
    client, town, fake_push, django_capture_on_commit_callbacks, temporary,
    celery_retries_in_process,
):  # fmt: skip
    browser = phone(fake_push, town["owner"])
    browser.answers = [temporary, 201]

    place(client, town, django_capture_on_commit_callbacks)

    assert browser.attempts == 2 and len(browser.received) == 1
    (message,) = pushes()
    assert message.sent_at is not None and message.attempts == 1
    assert str(temporary) in message.last_error  # the failed attempt, recorded by the task
    assert PushSubscription.objects.count() == 1


def test_an_unreachable_push_service_leaves_the_push_unsent_for_later(
    client, town, fake_push, django_capture_on_commit_callbacks
):
    shop_order = place(client, town, django_capture_on_commit_callbacks)
    browser = Browser(endpoint="http://127.0.0.1:1/push/unreachable")
    push_subscription_save(
        user=town["baker"], endpoint=browser.endpoint, p256dh=browser.p256dh,
        auth=b64url(browser.auth),
    )  # fmt: skip
    assert shop_new_order_pushes_add(shop_order=shop_order) == 1
    (message,) = pushes()

    with pytest.raises(PushTemporaryError):
        message_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.sent_at is None and PushSubscription.objects.count() == 1
    assert isinstance(PushTemporaryError(), send_outbox_message.autoretry_for)  # retried


def test_with_no_vapid_keys_no_push_is_written_and_the_order_goes_through(
    client, town, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    browser = Browser(endpoint="https://fcm.googleapis.com/fcm/send/abc")
    PushSubscription.objects.create(
        user=town["owner"], endpoint=browser.endpoint, p256dh=browser.p256dh,
        auth=b64url(browser.auth),
    )  # fmt: skip

    shop_order = place(client, town, django_capture_on_commit_callbacks)

    assert pushes() == []
    assert any(shop_order.number in mail.subject for mail in mailoutbox)


def test_a_push_whose_order_was_handled_meanwhile_is_closed_unsent(
    client, town, fake_push, django_capture_on_commit_callbacks
):
    browser = phone(fake_push, town["owner"])
    with django_capture_on_commit_callbacks(execute=False):  # the hand-over never runs
        order = checkout(client, town["bread"])
    shop_order = order.shop_orders.get()
    shop_order_transition(shop_order=shop_order, to_status="accepted", by=town["owner"])

    assert message_relay() == 4  # the two e-mails of the order, the acceptance's, the push

    (message,) = pushes()
    assert message.sent_at is not None and "sans objet" in message.last_error
    assert browser.attempts == 0


def test_the_fake_refuses_a_push_signed_with_another_key(
    client, town, fake_push, settings, django_capture_on_commit_callbacks
):
    """The fake really checks the VAPID signature (so the tests above prove ours is right)."""
    browser = phone(fake_push, town["owner"])
    settings.WEBPUSH_VAPID_PRIVATE_KEY = vapid_pair()[1]

    place(client, town, django_capture_on_commit_callbacks)

    assert fake_push.errors == ["signed with another key than the portal's"]
    assert browser.received == []
    (message,) = pushes()
    assert message.sent_at is not None and "403" in message.last_error


# --- Redis down: the order goes through, the push leaves once Redis is back ----------------


@pytest.fixture
def broker_down():
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    broker_use(CLOSED_PORT)
    yield
    broker_use(saved["broker_url"] or "memory://")
    if saved_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = saved_env
    app.conf.update(saved)


def test_redis_down_the_order_succeeds_and_the_push_leaves_once_redis_is_back(
    client, town, fake_push, broker_down, django_capture_on_commit_callbacks
):
    browser = phone(fake_push, town["owner"])

    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, town["bread"])

    (message,) = pushes()
    assert message.sent_at is None and browser.attempts == 0
    assert message_relay() == 0  # still down: nothing handed over, nothing lost
    app.conf.task_always_eager = True  # Redis is back (the worker's side, in-process)
    assert message_relay() == 3  # the resident's e-mail, the shop's, the push
    assert message_relay() == 0
    assert browser.attempts == 1 and len(browser.received) == 1


@pytest.mark.postgres
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_push_once_even_handed_over_twice(
    on_postgres, request, fake_push, settings, client, town
):
    broker = request.getfixturevalue("live_broker")  # tests/integration/test_outbox.py
    phones = [phone(fake_push, town["owner"]), phone(fake_push, town["baker"])]
    broker_use(CLOSED_PORT)
    checkout(client, town["bread"])  # committed for real; Redis down: all wait in the outbox
    assert len(pushes()) == 2

    broker_use(broker)
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "WEBPUSH_VAPID_PUBLIC_KEY": settings.WEBPUSH_VAPID_PUBLIC_KEY,
        "WEBPUSH_VAPID_PRIVATE_KEY": settings.WEBPUSH_VAPID_PRIVATE_KEY,
        "WEBPUSH_VAPID_SUBJECT": settings.WEBPUSH_VAPID_SUBJECT,
        "WEBPUSH_SERVICE_HOSTS": "http://127.0.0.1",
    }
    with worker_running(broker, "celery", **env):
        assert message_relay() == 4  # the resident's e-mail, the shop's, two pushes
        assert wait_until(
            lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
        ), list(OutboxMessage.objects.values("kind", "sent_at", "enqueued_at", "last_error"))
        ids = list(OutboxMessage.objects.values_list("pk", flat=True))
        assert message_enqueue(message_ids=ids) == 4  # handed over again: nothing resent
        assert wait_until(lambda: redis.Redis.from_url(broker).llen("celery") == 0)
        time.sleep(1)  # the last message taken is processed

    connection.close()
    assert fake_push.errors == []
    assert [(p.attempts, len(p.received)) for p in phones] == [(1, 1), (1, 1)]
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_the_closed_port_really_is_closed():
    """The unreachable endpoints above rely on nothing listening on port 1."""
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", 1), timeout=1):
        pass
