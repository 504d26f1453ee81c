"""Tasks run through a real Celery worker on a real Redis broker (no eager mode, no mock).

The worker is started from the test as a subprocess, on a queue of its own, with the same
database as the test (PostgreSQL: the test database is visible to another process once
the data is committed, hence `transaction=True`).
"""

import time
import uuid

import pytest
from django.db import connection

from tests.celery_worker import broker_url_checked, worker_running
from tests.factories import product_offered


@pytest.fixture(scope="module")
def broker_url() -> str:
    return broker_url_checked()


@pytest.fixture
def worker(broker_url, transactional_db):
    """A real worker process consuming a private queue; yields a client app and the queue."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with worker_running(broker_url, queue) as client:
        yield client, queue


def test_a_real_worker_runs_the_ping_task(worker):
    client, queue = worker
    result = client.send_task("digitaix.ping", queue=queue)
    assert result.get(timeout=20) == "pong"
    assert result.state == "SUCCESS"


def test_a_real_worker_refreshes_search_columns_in_the_database(worker):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    client, queue = worker
    product = product_offered(title="Tomme de Savoie")
    type(product).objects.filter(pk=product.pk).update(search_text="", search_vector=None)
    # No result to wait for: the task keeps none (a request handing it over must never
    # subscribe to the result backend, which may be down); its effect is in the database.
    client.send_task(
        "catalog.tasks.search_refresh", kwargs={"product_ids": [product.pk]}, queue=queue
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and product.search_vector is None:
        time.sleep(0.2)
        product.refresh_from_db()
    assert product.search_text.startswith("tomme de savoie")
    assert product.search_vector is not None


def test_a_real_worker_builds_the_rounds_when_beat_triggers_it(worker, client, settings):
    """What beat sends every 5 minutes, sent the same way (by name, through Redis) at the
    slot's cut-off; the worker builds the rounds in the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    from delivery.dispatch import cutoff_of
    from delivery.models import Round, RoundStop
    from tests.delivery import courier, delivering_shop, delivery_orders, delivery_slot

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shop_orders = delivery_orders(client, [delivering_shop("Fromagerie")], count=2)
    courier("anna@example.fr", capacity=10)
    slot = delivery_slot()
    schedule = settings.CELERY_BEAT_SCHEDULE["delivery-build-rounds"]
    worker_client, queue = worker
    result = worker_client.send_task(
        schedule["task"], kwargs={"now": cutoff_of(slot).isoformat()}, queue=queue
    )
    assert result.get(timeout=30) == 1
    assert Round.objects.get().slot == slot
    drops = RoundStop.objects.filter(kind="drop").values_list("shop_order_id", flat=True)
    assert sorted(drops) == sorted(so.pk for so in shop_orders)
