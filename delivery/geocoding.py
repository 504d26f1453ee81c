"""TEMPORARY stub (replaced by the routing branch)."""

import hashlib

from delivery.routing import Point

CENTRES = {
    "73100": (45.6885, 5.9153),
    "73420": (45.66, 5.92),
    "73410": (45.78, 5.94),
    "73370": (45.65, 5.86),
}


class OfflineGeocoder:
    def geocode(self, *, line1, postcode, city):
        if postcode not in CENTRES:
            return None
        h = hashlib.sha256(" ".join(line1.lower().split()).encode()).digest()
        lat, lon = CENTRES[postcode]
        return Point(lat=lat + (h[0] - 128) / 128 * 0.012, lon=lon + (h[1] - 128) / 128 * 0.017)


def geocoder_get():
    return OfflineGeocoder()
