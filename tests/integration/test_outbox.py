"""The outbox against a real broker outage: no mock, no eager mode.

With the broker pointed at a closed port, a checkout and a status change still succeed
quickly, their e-mails waiting unsent in the outbox; with the broker pointed at the live
Redis and a real worker running, the relay (what beat runs every minute) hands them over and
each is sent exactly once, even when handed over again. PostgreSQL only: the worker process
must see the test's committed rows.
"""

import os
import time

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from digitaix.celery import app
from messaging.models import OutboxMessage
from messaging.services import message_enqueue, message_relay
from orders.models import ShopOrder
from orders.services import shop_order_transition
from tests.accounts import APPROVE_DESPITE_GAPS
from tests.celery_worker import CLOSED_PORT, broker_url_checked, broker_use, worker_running
from tests.checkout import basket_fill, checkout_to_preview, order_place
from tests.factories import (
    ShopFactory,
    commerce_staff_create,
    merchant_create,
    product_offered,
    week_hours,
)


@pytest.fixture
def live_broker():
    """The configured Redis database (emptied): each engineer and CI have their own number,
    so no test ever flushes another's queue."""
    url = broker_url_checked()
    redis.Redis.from_url(url).flushdb()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    yield url
    broker_use(saved["broker_url"] or "memory://")
    if saved_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = saved_env
    app.conf.update(saved)
    redis.Redis.from_url(url).flushdb()


def wait_until(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.postgres
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_redis_down_at_checkout_then_every_email_sent_exactly_once(on_postgres, live_broker):
    shop = ShopFactory(name="Fromagerie du Lac", email="fromagerie@example.fr")
    week_hours(shop)
    cheesemonger = merchant_create(shop)
    comte = product_offered(title="Comté 18 mois", shop=shop, price="6.90")
    client = Client()
    client.force_login(get_user_model().objects.create_user("c", "camille@example.fr", "x"))
    basket_fill(client, comte)
    preview = checkout_to_preview(client)

    broker_use(CLOSED_PORT)
    started = time.monotonic()
    placed = order_place(client, preview)
    shop_order = ShopOrder.objects.get()
    shop_order_transition(shop_order=shop_order, to_status="accepted", by=cheesemonger)
    elapsed = time.monotonic() - started

    assert placed.status_code == 302 and placed["Location"].endswith("/checkout/thank-you/")
    assert elapsed < 3, f"the checkout waited {elapsed:.1f} s for the broker"
    assert message_relay() == 0  # still down: nothing handed over, nothing lost
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True, enqueued_at__isnull=True)
    assert sorted(unsent.values_list("kind", flat=True)) == [
        "order_confirmation",
        "shop_new_order",
        "status_changed",
    ]

    broker_use(live_broker)
    env = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    with worker_running(live_broker, "celery", **env):
        assert message_relay() == 3
        assert wait_until(lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists())
        assert message_relay() == 0
        # Handed over again (a worker lost, a relay racing the on-commit hand-over): no resend.
        assert (
            message_enqueue(message_ids=list(OutboxMessage.objects.values_list("pk", flat=True)))
            == 3
        )
        queue = redis.Redis.from_url(live_broker)
        assert wait_until(lambda: queue.llen("celery") == 0)
        time.sleep(1)  # the last message taken is processed

    connection.close()
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1, 1]


def relayed_exactly_once(live_broker: str, count: int) -> None:
    """With a real worker on the live broker: the relay hands over `count` messages, each
    sent once, even when all are handed over again."""
    broker_use(live_broker)
    env = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    with worker_running(live_broker, "celery", **env):
        assert message_relay() == count
        assert wait_until(lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists())
        ids = list(OutboxMessage.objects.values_list("pk", flat=True))
        assert message_enqueue(message_ids=ids) == count
        queue = redis.Redis.from_url(live_broker)
        assert wait_until(lambda: queue.llen("celery") == 0)
        time.sleep(1)  # the last message taken is processed
    connection.close()
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1] * count


@pytest.mark.postgres
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_redis_down_for_the_shops_and_oscars_emails_then_each_sent_exactly_once(
    on_postgres, live_broker, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shop = ShopFactory(name="Fleurs d'Élise", status="pending")
    owner = merchant_create(shop, email="elise@example.fr", role="owner")
    staff, merchant = Client(), Client()
    staff.force_login(commerce_staff_create())
    merchant.force_login(owner)

    broker_use(CLOSED_PORT)
    started = time.monotonic()
    decided = staff.post(
        reverse("moderation:shop", kwargs={"pk": shop.pk}),
        {"action": "approve", **APPROVE_DESPITE_GAPS},
    )
    invited = merchant.post(
        reverse("merchant:team", kwargs={"slug": shop.code}), {"email": "nouveau@example.fr"}
    )
    reset = Client().post(reverse("password-reset"), {"email": "elise@example.fr"})
    elapsed = time.monotonic() - started

    assert [r.status_code for r in (decided, invited, reset)] == [302, 302, 302]
    assert elapsed < 3, f"the requests waited {elapsed:.1f} s for the broker"
    assert sorted(OutboxMessage.objects.values_list("kind", flat=True)) == [
        "rendered",
        "shop_moderated",
        "team_invitation",
    ]
    relayed_exactly_once(live_broker, 3)
