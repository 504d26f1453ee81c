"""The portal's daily snapshot: its public figures kept day by day for the town's console."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from oscar.core.loading import get_model

PortalSnapshot = get_model("partner", "PortalSnapshot")


def portal_snapshot_take(*, day: datetime.date | None = None) -> PortalSnapshot:
    """Record today's figures (live shops, shops selling, products online) as `day`'s row.

    Idempotent: taken twice the same day, the row is updated, never duplicated (the day is
    unique), so a retried or doubled beat run is harmless. The figures come from
    settings.DIGITAIX_PORTAL_FIGURES (the console's own selector): "selling" needs shop
    orders, which `shops` may not import, and the console and its history then agree.
    """
    figures = import_string(settings.DIGITAIX_PORTAL_FIGURES)()
    snapshot, _created = PortalSnapshot.objects.update_or_create(
        day=day or timezone.localdate(),
        defaults={
            "shops_live": figures["shops_live"],
            "shops_selling": figures["shops_selling"],
            "products_online": figures["products_online"],
        },
    )
    return snapshot
