"""Light pages (issue 15, §5): collected static files are served by WhiteNoise under hashed
names, cached for good (at least a year, immutable), gzip or Brotli as the browser accepts;
pages are gzipped too."""

import gzip
import re

import brotli
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

from tests.factories import ShopFactory, product_offered

ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def collected(settings, tmp_path):
    """Our static files collected as in production (hashed names, .gz and .br copies) into a
    folder of the test's own; a new client's WhiteNoise reads that folder."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # Our folder only: Oscar's thousands of files would make the test slow, not surer.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def max_age(response) -> int:
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])


def test_a_hashed_stylesheet_is_cached_for_good_and_sent_compressed(collected):
    url = staticfiles_storage.url("digitaix/css/site.css")
    assert re.fullmatch(r"/static/digitaix/css/site\.[0-9a-f]{12}\.css", url)
    client = Client()
    plain = client.get(url)
    assert plain.status_code == 200
    assert max_age(plain) >= ONE_YEAR
    assert "public" in plain["Cache-Control"] and "immutable" in plain["Cache-Control"]
    original = b"".join(plain.streaming_content)

    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get(url, HTTP_ACCEPT_ENCODING=f"{encoding}")
        assert response["Content-Encoding"] == encoding
        assert "immutable" in response["Cache-Control"]
        assert "Accept-Encoding" in response["Vary"]
        body = b"".join(response.streaming_content)
        assert len(body) < len(original) / 3
        assert decompress(body) == original


def test_an_unhashed_name_is_cached_briefly_only(collected):
    response = Client().get("/static/digitaix/css/site.css")
    assert response.status_code == 200
    assert max_age(response) < 3600 and "immutable" not in response["Cache-Control"]


@pytest.mark.django_db
def test_a_page_is_gzipped_when_the_browser_accepts_it(client):
    product = product_offered(title="Tomme", shop=ShopFactory(status="live"))
    plain = client.get(product.get_absolute_url())
    packed = client.get(product.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 2
    assert "Tomme" in gzip.decompress(packed.content).decode()
