"""pytest's settings: production's own (DEBUG off, as Django runs tests anyway), with a key of
its own, since without DJANGO_DEBUG the portal refuses to start on no key or the demo's, and
over plain HTTP (the test client and the live server speak no TLS)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-never-used-by-a-portal-4f9c2e7a1b")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")


def broker_of_this_worker(url: str, worker: str) -> str:
    """Under pytest-xdist each worker gets a Redis database of its own (the configured one
    minus 1 + the worker's number), so that one worker's real-Celery tests never read or flush
    the queue another is filling. Databases get their own names from pytest-django already."""
    base, _, number = url.rpartition("/")
    if not url.startswith("redis://") or not number.isdigit():
        return url
    return f"{base}/{max(int(number) - 1 - int(worker.removeprefix('gw')), 0)}"


# (A real Celery worker a test starts is given the test's URL, without PYTEST_XDIST_WORKER.)
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("CELERY_BROKER_URL"):
    os.environ["CELERY_BROKER_URL"] = broker_of_this_worker(
        os.environ["CELERY_BROKER_URL"], os.environ["PYTEST_XDIST_WORKER"]
    )

from digitaix.settings import *  # noqa: E402, F403

# Tests hash passwords with MD5: PBKDF2's million rounds cost ~0.3 s per account created or
# signed in, over the whole suite. A test about hashing names its hasher (test_login_throttling).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Whole public pages kept for every visitor (catalog/pagecache.py) are raised to a new version
# after a change commits; a test's changes never commit (pytest-django rolls them back), so
# the suite renders every page. tests/functional/test_page_cache.py turns it on and runs the
# commit hooks; the browser tests, whose server commits, run with it on.
DIGITAIX_PAGE_CACHE_SECONDS = 0
