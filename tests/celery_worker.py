"""A real Celery worker for tests: a subprocess on a real Redis broker, on the test database
(PostgreSQL: what the test commits is visible to the worker, hence `transaction=True`)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BROKER = "redis://127.0.0.1:6379/15"
# Nothing listens there: a hand-over is refused at once, as when Redis is down.
CLOSED_PORT = "redis://127.0.0.1:1/0"


def broker_use(url: str) -> None:
    """Point this process's Celery app at another broker (its pools are rebuilt lazily), not
    eager: a hand-over really goes to that broker.

    Celery reads CELERY_BROKER_URL from the environment before its configuration: both
    are set."""
    from kombu import pools

    from digitaix.celery import app

    os.environ["CELERY_BROKER_URL"] = url
    # Kombu keeps its connection and producer pools in process-wide groups keyed by broker
    # URL: closing one pool alone would leave a closed pool behind for later senders.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url
    app.conf.task_always_eager = False


def _default_broker() -> str:
    """DEFAULT_BROKER, or under pytest-xdist the worker's own database (tests/settings.py)."""
    from tests.settings import broker_of_this_worker

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return broker_of_this_worker(DEFAULT_BROKER, worker) if worker else DEFAULT_BROKER


def broker_url_checked() -> str:
    """The configured Redis broker (or the default one), skipped when it is down, except on
    CI, which must run every test."""
    url = os.environ.get("CELERY_BROKER_URL") or _default_broker()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {url}: CI must run this test")
        pytest.skip(f"Redis is not reachable at {url}")
    return url


@contextlib.contextmanager
def worker_running(broker_url: str, queue: str, **env_extra: str) -> Iterator[Celery]:
    """A worker consuming `queue` on `broker_url`; yields a client app on the same broker."""
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "CELERY_RESULT_BACKEND": broker_url}
    env.update(CELERY_TASK_ALWAYS_EAGER="false", **env_extra)
    # Not an xdist worker itself: tests/settings.py must not move it to another Redis database.
    env.pop("PYTEST_XDIST_WORKER", None)
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = database_url()
    log_level = os.environ.get("TEST_WORKER_LOG", "warning")  # "info" to see its tasks
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "digitaix", "worker", "--pool=solo",
         "-Q", queue, "--without-gossip", "--without-mingle", "-l", log_level],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # Celery prefers the CELERY_BROKER_URL environment variable to `broker=`: the client must
    # run where that variable names the same broker (tests/integration/test_outbox.py sets it).
    # Not the current app: shared tasks (orders.tasks) would then send through this client's
    # broker for the rest of the session, whatever the project's app is pointed at.
    client = Celery("test-client", broker=broker_url, backend=broker_url, set_as_current=False)
    client.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")
    try:
        _wait_for_worker(client, queue, process)
        yield client
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def database_url() -> str:
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
    process.kill()
    raise RuntimeError(f"the worker did not answer within 60 s:\n{process.stdout.read()}")
