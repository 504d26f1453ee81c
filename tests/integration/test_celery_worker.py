"""Tasks run through a real Celery worker on a real Redis broker (no eager mode, no mock).

The worker is started from the test as a subprocess, on a queue of its own, with the same
database as the test (PostgreSQL: the test database is visible to another process once
the data is committed, hence `transaction=True`).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

from tests.factories import product_offered

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BROKER = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="module")
def broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url}: CI must run this test")
        pytest.skip(f"Redis is not reachable at {url}")
    return url


@pytest.fixture
def worker(broker_url, transactional_db):
    """A real worker process consuming a private queue; yields a client app and the queue."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "CELERY_RESULT_BACKEND": broker_url}
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = _database_url()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "digitaix", "worker", "--pool=solo",
         "-Q", queue, "--without-gossip", "--without-mingle", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    client = Celery("test-client", broker=broker_url, backend=broker_url)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    try:
        _wait_for_worker(client, queue, process)
        yield client, queue
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _database_url() -> str:
    conf = connection.settings_dict
    user = conf["USER"] or "postgres"
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    host, port = conf["HOST"] or "127.0.0.1", conf["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{conf['NAME']}"


def _wait_for_worker(client: Celery, queue: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the worker died:\n{process.stdout.read()}")
        try:
            if client.send_task("digitaix.ping", queue=queue).get(timeout=3) == "pong":
                return
        except Exception:  # noqa: BLE001 - not up yet
            continue
    raise RuntimeError("the worker did not answer within 60 s")


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
    result = client.send_task(
        "catalog.tasks.search_refresh", kwargs={"product_ids": [product.pk]}, queue=queue
    )
    assert result.get(timeout=30) == 1
    product.refresh_from_db()
    assert product.search_text == "tomme de savoie"
    assert product.search_vector is not None
