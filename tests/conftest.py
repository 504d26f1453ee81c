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
