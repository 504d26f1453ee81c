"""A storefront as search engines read it: schema.org `LocalBusiness` JSON-LD (address, geo,
week hours, exceptional closures) and its Open Graph values (catalog.structured_data)."""

import datetime

from catalog.structured_data import SCHEMA, absolute, plain

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def shop_ld(*, shop, path: str, opening_hours, closures, today: datetime.date) -> dict:
    """`LocalBusiness` of a shop: `closures` are its closing periods, those ending before
    `today` left out (each said as a day "closed", opens = closes = 00:00, as Google reads it)."""
    data = {
        "@context": SCHEMA,
        "@type": "LocalBusiness",
        "@id": absolute(path) + "#boutique",
        "name": shop.name,
        "url": absolute(path),
        "description": plain(shop.description) or f"{shop.get_trade_display()} – {shop.name}",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": shop.address_line,
            "postalCode": shop.postcode,
            "addressLocality": shop.city,
            "addressCountry": "FR",
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"{SCHEMA}/{DAYS[span.weekday]}",
                "opens": f"{span.opens:%H:%M}",
                "closes": f"{span.closes:%H:%M}",
            }
            for span in opening_hours
        ]
        + [
            {
                "@type": "OpeningHoursSpecification",
                "opens": "00:00",
                "closes": "00:00",
                "validFrom": period.starts_on.isoformat(),
                "validThrough": period.ends_on.isoformat(),
            }
            for period in closures
            if period.ends_on >= today
        ],
    }
    if shop.latitude is not None and shop.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(shop.latitude),
            "longitude": float(shop.longitude),
        }
    if shop.phone:
        data["telephone"] = shop.phone
    image = shop_image(shop)
    if image:
        data["image"] = absolute(image)
    return data


def shop_image(shop) -> str:
    """The shop's banner, else its logo (a path), else ""."""
    for picture in (shop.banner, shop.logo):
        if picture:
            return picture.url
    return ""
