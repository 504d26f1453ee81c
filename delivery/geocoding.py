"""The geocoders moved to shops/geocoding.py (the shops' profile places their address too,
and shops may not import delivery). This alias keeps a DIGITAIX_GEOCODER naming
"delivery.geocoding.BanGeocoder" (or the offline one) in an existing deployment working."""

from shops.geocoding import BanGeocoder, OfflineGeocoder, geocoder_get

__all__ = ["BanGeocoder", "OfflineGeocoder", "geocoder_get"]
