"""pytest's settings: production's own (DEBUG off, as Django runs tests anyway), with a key of
its own, since without DJANGO_DEBUG the portal refuses to start on no key or the demo's, and
over plain HTTP (the test client and the live server speak no TLS)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-never-used-by-a-portal-4f9c2e7a1b")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

from digitaix.settings import *  # noqa: E402, F403
