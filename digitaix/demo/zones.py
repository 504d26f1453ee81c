"""The demo town's delivery zones: the town itself, and a crown of neighbouring villages
with a higher fee and minimum order. Created once; never changed when seeding again."""

from decimal import Decimal

from delivery.models import DeliveryZone, DeliveryZonePostcode

# (name, fee, minimum order, postcodes): Aix-les-Bains and the villages around the lake.
DEMO_ZONES = (
    ("Aix-les-Bains", Decimal("3.90"), Decimal("15.00"), ("73100",)),
    ("Couronne du lac", Decimal("5.90"), Decimal("25.00"), ("73420", "73410", "73370")),
)


def zones_seed() -> int:
    """Create the demo zones that are missing; returns how many were created."""
    created = 0
    for name, fee, minimum, postcodes in DEMO_ZONES:
        zone, is_new = DeliveryZone.objects.get_or_create(
            name=name, defaults={"fee": fee, "minimum_order": minimum}
        )
        if is_new:
            created += 1
            DeliveryZonePostcode.objects.bulk_create(
                [DeliveryZonePostcode(zone=zone, postcode=code) for code in postcodes]
            )
    return created
