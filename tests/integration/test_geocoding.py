"""Geocoders (shops/geocoding.py): offline table, and the BAN client against a local fake
of api-adresse.data.gouv.fr speaking its real GeoJSON, so `requests`, the cache and the error
handling all run for real. No database."""

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from delivery.routing import Point, distance_km
from shops.geocoding import (
    BAN_HIT_SECONDS,
    BAN_MISS_SECONDS,
    BanGeocoder,
    OfflineGeocoder,
    geocoder_get,
)

AIX_CENTRE = Point(45.6885, 5.9153)
PORT = {"line1": "8 boulevard du Port", "postcode": "73100", "city": "Aix-les-Bains"}


def ban_answer(*, query: str, postcode: str, score: float) -> dict[str, Any]:
    """What BAN answers to /search/?q=8 boulevard du port aix les bains&postcode=73100&limit=1."""
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [5.891432, 45.697812]},
                "properties": {
                    "label": "8 Boulevard du Port 73100 Aix-les-Bains",
                    "score": score,
                    "housenumber": "8",
                    "id": "73008_0420_00008",
                    "name": "8 Boulevard du Port",
                    "postcode": "73100",
                    "citycode": "73008",
                    "x": 925613.41,
                    "y": 6511379.72,
                    "city": "Aix-les-Bains",
                    "context": "73, Savoie, Auvergne-Rhône-Alpes",
                    "type": "housenumber",
                    "importance": 0.62,
                    "street": "Boulevard du Port",
                },
            }
        ],
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": query,
        "filters": {"postcode": postcode},
        "limit": 1,
    }


@dataclass
class FakeBan:
    """What the fake answers (`mode`: ok, low, empty, error, slow) and what it was asked."""

    url: str = ""
    mode: str = "ok"
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def requests(self) -> int:
        return len(self.queries)


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        """Keep the test output quiet."""

    def do_GET(self) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        fake.queries.append(params)
        if fake.mode == "slow":
            fake.release.wait(5)
            return  # the client gave up long ago: answering would only break the pipe
        if fake.mode == "error" or url.path != "/search/":
            self._send(500, {"code": 500, "message": "Internal Server Error"})
            return
        answer = ban_answer(
            query=params["q"][0], postcode=params.get("postcode", [""])[0], score=0.97
        )
        if fake.mode == "low":
            answer["features"][0]["properties"]["score"] = 0.31
        if fake.mode == "empty":
            answer["features"] = []
        self._send(200, answer)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeBan


@pytest.fixture
def fake_ban(settings) -> Iterator[FakeBan]:
    """A BAN on 127.0.0.1, with the app's setting and a fresh LocMemCache pointed at it."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = FakeBan(url=f"http://127.0.0.1:{server.server_address[1]}/search/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.DIGITAIX_BAN_URL = server.fake.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-geocoding",
        }
    }
    cache.clear()  # LocMemCache keeps its entries per LOCATION, across tests
    yield server.fake
    cache.clear()
    server.fake.release.set()
    server.shutdown()
    server.server_close()


def test_offline_places_a_known_postcode_near_its_centre_and_stably():
    geocoder = OfflineGeocoder()
    point = geocoder.geocode(**PORT)
    assert point is not None
    assert 0 < distance_km(point, AIX_CENTRE) <= 1.5 + 1e-6
    assert geocoder.geocode(**PORT) == point
    # The same street written differently is the same address.
    same = geocoder.geocode(line1="8, Boulevard  du PORT", postcode="73 100", city="")
    assert same == point


def test_offline_gives_distinct_addresses_distinct_points():
    geocoder = OfflineGeocoder()
    points = {
        geocoder.geocode(line1=f"{number} rue de Genève", postcode="73100", city="Aix-les-Bains")
        for number in range(1, 201)
    }
    assert len(points) == 200
    assert all(distance_km(point, AIX_CENTRE) <= 1.5 + 1e-6 for point in points)


def test_offline_knows_the_places_around_and_not_elsewhere():
    geocoder = OfflineGeocoder()
    chambery = geocoder.geocode(line1="Place Saint-Léger", postcode="73000", city="Chambéry")
    assert distance_km(chambery, Point(45.5646, 5.9178)) <= 1.5 + 1e-6
    for postcode in ("73420", "73410", "73370"):
        assert geocoder.geocode(line1="1 rue de la Mairie", postcode=postcode, city="") is not None
    assert geocoder.geocode(line1="1 rue de Rivoli", postcode="75001", city="Paris") is None


def test_geocoder_get_loads_the_setting(settings):
    assert isinstance(geocoder_get(), OfflineGeocoder)
    assert geocoder_get() is geocoder_get()
    settings.DIGITAIX_GEOCODER = "shops.geocoding.BanGeocoder"
    assert isinstance(geocoder_get(), BanGeocoder)


def test_ban_finds_the_address_then_serves_it_from_the_cache(fake_ban):
    geocoder = BanGeocoder()
    point = geocoder.geocode(**PORT)
    assert point == Point(lat=45.697812, lon=5.891432)  # GeoJSON is [lon, lat]
    assert fake_ban.requests == 1
    assert fake_ban.queries[0]["postcode"] == ["73100"]
    assert fake_ban.queries[0]["limit"] == ["1"]
    assert "boulevard du port" in fake_ban.queries[0]["q"][0]
    # Written differently, the same address is the same cache entry.
    again = BanGeocoder().geocode(
        line1="8 Boulevard du  PORT", postcode="73100", city="Aix-les-Bains"
    )
    assert again == point
    assert fake_ban.requests == 1
    (key,) = [k for k in cache._cache if "geocode:ban:" in k]
    assert cache._expire_info[key] == pytest.approx(time.time() + BAN_HIT_SECONDS, abs=60)


@pytest.mark.parametrize("mode", ["low", "empty"])
def test_ban_rejects_a_poor_or_missing_match_and_caches_the_miss_a_day(fake_ban, mode):
    fake_ban.mode = mode
    geocoder = BanGeocoder()
    assert geocoder.geocode(**PORT) is None
    assert geocoder.geocode(**PORT) is None
    assert fake_ban.requests == 1
    (key,) = [k for k in cache._cache if "geocode:ban:" in k]
    assert cache._expire_info[key] == pytest.approx(time.time() + BAN_MISS_SECONDS, abs=60)


def test_ban_server_error_gives_none_uncached_and_logged(fake_ban, caplog):
    fake_ban.mode = "error"
    geocoder = BanGeocoder()
    assert geocoder.geocode(**PORT) is None
    assert fake_ban.requests == 1
    assert "BAN geocoding failed for postcode 73100" in caplog.text
    assert "boulevard" not in caplog.text.lower()  # no address in the logs
    fake_ban.mode = "ok"
    assert geocoder.geocode(**PORT) is not None
    assert fake_ban.requests == 2


def test_ban_timeout_gives_none_quickly_and_uncached(fake_ban):
    fake_ban.mode = "slow"
    started = time.monotonic()
    assert BanGeocoder(timeout=0.3).geocode(**PORT) is None
    assert time.monotonic() - started < 2
    fake_ban.release.set()
    fake_ban.mode = "ok"
    assert BanGeocoder().geocode(**PORT) is not None
    assert fake_ban.requests == 2


def test_ban_on_a_closed_port_gives_none_quickly(settings, caplog):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.DIGITAIX_BAN_URL = f"http://127.0.0.1:{port}/search/"
    started = time.monotonic()
    assert BanGeocoder().geocode(**PORT) is None
    assert time.monotonic() - started < 2
    assert "BAN geocoding failed" in caplog.text


def test_the_old_delivery_paths_of_the_setting_still_load(settings):
    """The geocoders moved to shops/geocoding.py; a deployment's DIGITAIX_GEOCODER naming
    delivery.geocoding keeps working."""
    settings.DIGITAIX_GEOCODER = "delivery.geocoding.OfflineGeocoder"
    assert isinstance(geocoder_get(), OfflineGeocoder)
