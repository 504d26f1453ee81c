"""Where a shop is on the map: placed from its address by the town's geocoder, corrected by
the town's staff when the geocoder cannot place it (or places it wrong).

Merchants never type coordinates: saving an address places the shop (shop_locate). An
address the geocoder cannot place leaves the shop saved without coordinates, which is the
flag the merchant's profile and the staff's shop page show; staff then set them by hand
(shop_coordinates_set). Only a new address moves the shop again, so a staff correction holds
until the merchant's address changes.
"""

import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from oscar.core.loading import get_model

from accounts.types import User
from shops.geocoding import geocoder_get

Partner = get_model("partner", "Partner")
ADDRESS_FIELDS = ("address_line", "postcode", "city")

logger = logging.getLogger(__name__)


def _degrees(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def shop_address_changed(*, before: Partner, after: Partner) -> bool:
    """Whether the two states of a shop name different addresses (spaces and case aside)."""

    def key(shop: Partner) -> tuple[str, ...]:
        return tuple(" ".join((getattr(shop, f) or "").split()).casefold() for f in ADDRESS_FIELDS)

    return key(before) != key(after)


def shop_locate(*, shop: Partner) -> bool:
    """Place `shop` from its address (coordinates saved, or cleared when it cannot be placed:
    old coordinates would point at the previous address). True when placed."""
    point = None
    if shop.address_line or shop.postcode:
        point = geocoder_get().geocode(
            line1=shop.address_line, postcode=shop.postcode, city=shop.city
        )
    if point is None:
        shop.latitude = shop.longitude = None
        logger.info("Shop %s: address not placed by the geocoder", shop.pk)
    else:
        shop.latitude, shop.longitude = _degrees(point.lat), _degrees(point.lon)
    shop.save(update_fields=["latitude", "longitude"])
    return point is not None


def shop_is_located(shop: Partner) -> bool:
    return shop.latitude is not None and shop.longitude is not None


@transaction.atomic
def shop_coordinates_set(
    *, shop: Partner, latitude: Decimal | None, longitude: Decimal | None, by: User
) -> Partner:
    """The town staff's correction of a shop's position (both, or neither to clear them)."""
    from shops.access import is_commerce_staff

    if not is_commerce_staff(by):
        raise PermissionDenied
    if (latitude is None) != (longitude is None):
        raise ValueError("latitude and longitude go together")
    shop = Partner.objects.select_for_update().get(pk=shop.pk)
    shop.latitude, shop.longitude = latitude, longitude
    shop.save(update_fields=["latitude", "longitude"])
    logger.info("Shop %s: coordinates set by staff user %s", shop.pk, by.pk)
    return shop
