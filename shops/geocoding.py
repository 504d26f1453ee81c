"""Addresses to points, behind a setting: the shops' own (placed on the map when the merchant
saves their address) and the delivery addresses (for the rounds, delivery/routing.py).

It lives in `shops`, the lowest app with an address to place, so that the shops' profile may
use it without importing `delivery` (the layers: delivery may import shops, never the reverse);
it has no delivery dependency of its own. `delivery/geocoding.py` keeps the old dotted paths
of DIGITAIX_GEOCODER working.

settings.DIGITAIX_GEOCODER names the class (`geocoder_get()` loads it once per path):

- `OfflineGeocoder` (the default) needs no network, so development, tests, CI and the demo
  town plan rounds the same way every time: the postcode's centre, moved by a stable offset
  drawn from the street line, so two addresses never fall on the same spot.
- `BanGeocoder` asks the French national address base (Base Adresse Nationale), free and
  without a key, and keeps its answers in Django's cache: an address is looked up once a
  month, not once per round.

A geocoder answers None when it cannot place the address: the caller leaves that drop out of
the plan and tells staff, it never guesses.
"""

import hashlib
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import requests  # installed with stripe (pinned in constraints.txt)
from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Postcode -> centre (lat, lon) of the demo town and the places around it that it delivers.
POSTCODE_CENTROIDS: dict[str, tuple[float, float]] = {
    "73100": (45.6885, 5.9153),  # Aix-les-Bains (and Grésy-sur-Aix, Mouxy…)
    "73420": (45.66, 5.92),  # Drumettaz-Clarafond, Méry, Viviers-du-Lac
    "73410": (45.78, 5.94),  # Albens (Entrelacs)
    "73370": (45.65, 5.86),  # Le Bourget-du-Lac
    "73000": (45.5646, 5.9178),  # Chambéry
}
# How far from its postcode's centre the offline geocoder may put an address.
OFFLINE_RADIUS_KM = 1.5
_KM_PER_DEGREE = 111.195

BAN_TIMEOUT_SECONDS = 3.0
# BAN's relevance score, 0 to 1: below this the match is more likely the wrong street.
BAN_MIN_SCORE = 0.5
# An address rarely moves: hits are kept a month. A miss may be a typo fixed tomorrow, or a
# new street BAN learns soon: a day.
BAN_HIT_SECONDS = 30 * 24 * 3600
BAN_MISS_SECONDS = 24 * 3600
_MISS = "miss"


@dataclass(frozen=True)
class Point:
    """A position in decimal degrees (WGS 84), as geocoders return it."""

    lat: float
    lon: float


class Geocoder(Protocol):
    def geocode(self, *, line1: str, postcode: str, city: str) -> Point | None:
        """The address's position, or None when it cannot be placed."""


def address_normalise(text: str) -> str:
    """Lower case, no accents, words separated by one space: « 8, Bd  du Port » and
    « 8 bd du port » are the same address for hashing and caching."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


class OfflineGeocoder:
    """The postcode's centre plus a stable offset of at most OFFLINE_RADIUS_KM drawn from a
    hash of the street line (hashlib: Python's hash() changes with every process). Unknown
    postcodes give None. The city is not read: one postcode covers several villages here."""

    def geocode(self, *, line1: str, postcode: str, city: str) -> Point | None:
        centre = POSTCODE_CENTROIDS.get(postcode.replace(" ", ""))
        if centre is None:
            return None
        lat, lon = centre
        street = address_normalise(line1)
        if not street:
            return Point(lat=lat, lon=lon)
        digest = hashlib.sha256(street.encode()).digest()
        u = int.from_bytes(digest[:8], "big") / 2**64
        v = int.from_bytes(digest[8:16], "big") / 2**64
        # sqrt spreads the points evenly over the disc instead of crowding its centre.
        radius, angle = OFFLINE_RADIUS_KM * math.sqrt(u), 2 * math.pi * v
        dlat = radius * math.cos(angle) / _KM_PER_DEGREE
        dlon = radius * math.sin(angle) / (_KM_PER_DEGREE * math.cos(math.radians(lat)))
        return Point(lat=round(lat + dlat, 6), lon=round(lon + dlon, 6))


class BanGeocoder:
    """The national address API (settings.DIGITAIX_BAN_URL): the first answer if BAN scores
    it at least BAN_MIN_SCORE. Answers are cached (hits 30 days, misses 1 day); network and
    HTTP errors give None, are logged and not cached, so the next round tries again."""

    def __init__(self, *, timeout: float = BAN_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    def geocode(self, *, line1: str, postcode: str, city: str) -> Point | None:
        query = address_normalise(f"{line1} {city}")
        postcode = postcode.replace(" ", "")
        key = "geocode:ban:" + hashlib.sha256(f"{query}|{postcode}".encode()).hexdigest()
        cached = django_cache.get(key)
        if cached == _MISS:
            return None
        if cached is not None:
            return Point(lat=cached[0], lon=cached[1])
        if len(query) < 3:  # BAN refuses shorter queries
            return None
        try:
            found = self._search(query=query, postcode=postcode)
        except (requests.RequestException, ValueError, KeyError, TypeError, IndexError) as exc:
            # The address is personal data, and requests' messages quote the URL holding it:
            # the log names the postcode, the kind of error and the HTTP status only.
            status = getattr(getattr(exc, "response", None), "status_code", "-")
            logger.warning(
                "BAN geocoding failed for postcode %s: %s (HTTP %s)",
                postcode,
                type(exc).__name__,
                status,
            )
            return None
        if found is None:
            django_cache.set(key, _MISS, BAN_MISS_SECONDS)
        else:
            django_cache.set(key, (found.lat, found.lon), BAN_HIT_SECONDS)
        return found

    def _search(self, *, query: str, postcode: str) -> Point | None:
        params = {"q": query, "limit": 1}
        if postcode:
            params["postcode"] = postcode
        response = requests.get(settings.DIGITAIX_BAN_URL, params=params, timeout=self.timeout)
        response.raise_for_status()
        features: list[dict[str, Any]] = response.json()["features"]
        if not features or float(features[0]["properties"]["score"]) < BAN_MIN_SCORE:
            return None
        lon, lat = features[0]["geometry"]["coordinates"][:2]  # GeoJSON: longitude first
        return Point(lat=float(lat), lon=float(lon))


@cache
def _geocoder(path: str) -> Geocoder:
    return import_string(path)()


def geocoder_get() -> Geocoder:
    """The geocoder settings.DIGITAIX_GEOCODER names, built once per dotted path (geocoders
    keep no per-call state), so tests may point the setting elsewhere."""
    return _geocoder(settings.DIGITAIX_GEOCODER)
