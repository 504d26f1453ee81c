"""The daily portal snapshot is a registered Celery task that beat runs every evening."""

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from shops.services import portal_snapshot_take
from tests.factories import ShopFactory, product_offered

PortalSnapshot = get_model("partner", "PortalSnapshot")


def test_beat_takes_the_portal_snapshot_every_evening_town_time(settings):
    from digitaix.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    entry = settings.CELERY_BEAT_SCHEDULE["take-portal-snapshot"]
    schedule = entry["schedule"]

    assert entry["task"] == "shops.tasks.take_portal_snapshot"
    assert entry["task"] in app.tasks
    assert schedule.hour == {23} and schedule.minute == {55}
    assert settings.CELERY_TIMEZONE == "Europe/Paris"


@pytest.mark.django_db
def test_a_snapshot_taken_twice_the_same_day_updates_its_row():
    shop = ShopFactory()
    product_offered(title="Pain", shop=shop)
    first = portal_snapshot_take()
    product_offered(title="Brioche", shop=shop)

    second = portal_snapshot_take()

    assert second.pk == first.pk
    assert PortalSnapshot.objects.get().products_online == 2
    assert second.day == timezone.localdate()
