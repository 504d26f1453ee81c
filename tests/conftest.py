"""Fixtures shared by the whole suite."""

import pytest
from django.db import connection

# `pytest --clock=+45d` (or dst-march, dst-october, an ISO moment): the session at another moment.
pytest_plugins = ["tests.clock"]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploaded files go to a throw-away folder; static files need no collectstatic."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache is per process (locmem): no test may see another's cached aggregates."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cache_unreachable(settings):
    """Redis down: the cache points at a port nothing listens on (pages must still answer)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }


@pytest.fixture
def on_postgres(db):
    """Skip a test that needs PostgreSQL when the suite runs on the embedded SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI always runs it")


@pytest.fixture
def eager_celery():
    """Run tasks in-process for this test even when a real broker is configured."""
    from digitaix.celery import app

    saved = {"task_always_eager": app.conf.task_always_eager}
    app.conf.task_always_eager = True
    yield app
    app.conf.update(saved)


@pytest.fixture(autouse=True)
def _outbox_broker_not_paused():
    """A test that took the broker down must not pause the next test's hand-overs."""
    from messaging.handover import handover_resume

    handover_resume()
    yield
    handover_resume()


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(request, monkeypatch):
    """`client.force_login(staff)` also marks the session verified by a second factor, so
    tests of staff pages need not type codes. Tests of the second factor itself are marked
    `real_second_factor` and get the plain force_login."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test import Client

    from accounts.twofactor import second_factor_required
    from tests.accounts import second_factor_pass

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if second_factor_required(user):
            second_factor_pass(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
