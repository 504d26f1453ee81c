"""Embedded defaults with no environment, production services with it.

Settings are read once at import, so each case imports them in a fresh interpreter.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from digitaix.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "celery_eager": app.conf.task_always_eager,
    "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "secure_cookies": settings.SESSION_COOKIE_SECURE,
    "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "tz": settings.TIME_ZONE,
    "currency": settings.OSCAR_DEFAULT_CURRENCY,
    "serializer": settings.CELERY_TASK_SERIALIZER,
    "accept": settings.CELERY_ACCEPT_CONTENT,
    "acks_late": app.conf.task_acks_late,
    "reject_on_lost": app.conf.task_reject_on_worker_lost,
    "installed": settings.INSTALLED_APPS,
}))
"""
OUR_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "CELERY_RESULT_BACKEND",
    "EMAIL_BACKEND",
    "EMAIL_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_SECURE_COOKIES",
    # set by tests/browser/conftest.py for Playwright; never in a deployment
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


KEY = "k" * 20 + "-a-long-and-random-production-secret-0123456789"
DEMO_KEY = "insecure-dev-key-change-me-in-production"


def start(**env: str) -> subprocess.CompletedProcess:
    """Load the settings in a fresh interpreter with only `env` of our variables."""
    clean = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    clean.update(DJANGO_SETTINGS_MODULE="digitaix.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def read_settings(**env: str) -> dict:
    out = start(**{"DJANGO_SECRET_KEY": KEY, **env})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_variable_but_the_key_means_embedded_defaults():
    conf = read_settings()
    assert conf["engine"] == "django.db.backends.sqlite3"
    assert conf["db_name"].endswith("db.sqlite3")
    assert conf["eager"] is True and conf["celery_eager"] is True
    assert conf["broker"] == ""
    assert conf["email"] == "django.core.mail.backends.console.EmailBackend"
    assert conf["debug"] is False


def test_without_debug_the_portal_refuses_to_start_with_no_key_or_the_demo_one():
    for env in ({}, {"DJANGO_SECRET_KEY": ""}, {"DJANGO_SECRET_KEY": DEMO_KEY}):
        out = start(**env)
        assert out.returncode != 0
        assert "ImproperlyConfigured" in out.stderr and "DJANGO_SECRET_KEY" in out.stderr


def test_with_debug_the_demo_key_is_enough():
    out = start(DJANGO_DEBUG="true")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1])["secret_key"] == DEMO_KEY


def test_production_defaults_to_https_only_with_hsts():
    conf = read_settings()
    assert conf["ssl_redirect"] is True and conf["secure_cookies"] is True
    assert conf["hsts"] == 31536000


def test_plain_http_testing_turns_the_redirect_and_hsts_off():
    conf = read_settings(DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_HSTS_SECONDS="0")
    assert conf["ssl_redirect"] is False and conf["hsts"] == 0
    debug = read_settings(DJANGO_DEBUG="true")
    assert debug["ssl_redirect"] is False and debug["hsts"] == 0


def test_environment_switches_to_postgres_redis_and_real_workers():
    conf = read_settings(
        DATABASE_URL="postgres://digitaix:secret@db.example:5432/town",
        CELERY_BROKER_URL="redis://cache.example:6379/0",
        DJANGO_DEBUG="true",
    )
    assert conf["engine"] == "django.db.backends.postgresql"
    assert conf["db_name"] == "town"
    assert conf["eager"] is False and conf["celery_eager"] is False
    assert conf["broker"] == "redis://cache.example:6379/0"
    assert conf["debug"] is True


def test_french_first_paris_time_and_euros():
    conf = read_settings()
    assert conf["language"] == "fr"
    assert conf["languages"] == ["fr", "en"]
    assert conf["tz"] == "Europe/Paris"
    assert conf["currency"] == "EUR"


def test_celery_is_json_only_and_acknowledges_late():
    conf = read_settings()
    assert conf["serializer"] == "json" and conf["accept"] == ["json"]
    assert conf["acks_late"] is True and conf["reject_on_lost"] is True


def test_oscar_apps_are_our_forks_and_haystack_is_not_installed():
    installed = read_settings()["installed"]
    for fork in (
        "shops.apps.PartnerConfig",
        "catalog.apps.CatalogueConfig",
        "orders.apps.OrderConfig",
        "catalog.search.apps.SearchConfig",
        "delivery.apps.DeliveryConfig",
    ):
        assert fork in installed
    assert "haystack" not in installed


def test_check_deploy_is_clean_with_production_variables():
    """Only what a deployment must say (its key, its host, its services): every security
    setting `check --deploy` asks for is on by default."""
    clean = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    clean.update(
        DJANGO_SETTINGS_MODULE="digitaix.settings",
        DJANGO_SECRET_KEY=KEY,
        DJANGO_ALLOWED_HOSTS="portail.example.fr",
        DATABASE_URL="postgres://digitaix:secret@db.example:5432/town",
        CELERY_BROKER_URL="redis://cache.example:6379/0",
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_ids_are_never_grouped_in_templates():
    """Past a thousand rows, "{{ stop.pk }}" in a hidden input or a data attribute must stay
    "1922", not "1 922" (the courier's buttons and the delivery board post them back)."""
    import django
    from django.template import Context, Template
    from django.utils import translation

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")
    django.setup()
    with translation.override("fr"):
        assert Template("{{ n }}").render(Context({"n": 1922})) == "1922"
        grouped = Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 4154}))
        assert grouped.replace("\u202f", " ").replace("\xa0", " ") == "4 154"
