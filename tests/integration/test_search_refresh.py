"""The search columns' refresh: marked with the change, refreshed after commit, never lost."""

import datetime

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.services import search_refresh_catch_up, search_refresh_pending
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
SearchRefresh = get_model("catalogue", "SearchRefresh")


def test_a_saved_product_is_refreshed_after_commit_and_its_mark_cleared(
    eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product = ProductFactory(title="Tomme de Savoie")
    assert SearchRefresh.objects.filter(product=product).exists()  # written with the change
    for callback in callbacks:
        callback()
    assert Product.objects.get(pk=product.pk).search_text.startswith("tomme de savoie")
    assert not SearchRefresh.objects.exists()


def test_a_product_marked_again_during_its_refresh_stays_marked():
    product = ProductFactory(title="Comté")
    later = timezone.now() + datetime.timedelta(minutes=1)  # a change committed meanwhile
    SearchRefresh.objects.filter(product=product).update(marked_at=later)
    assert search_refresh_pending(product_ids=[product.pk]) == 1
    assert SearchRefresh.objects.filter(product=product).exists()


def test_the_catch_up_leaves_recent_marks_to_their_own_task():
    fresh, lost = ProductFactory(title="Beaufort"), ProductFactory(title="Abondance")
    SearchRefresh.objects.filter(product=lost).update(
        marked_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert search_refresh_catch_up() == 1
    assert list(SearchRefresh.objects.values_list("product", flat=True)) == [fresh.pk]
    assert Product.objects.get(pk=lost.pk).search_text.startswith("abondance")


def test_the_catch_up_is_on_the_beat_schedule(settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"catalog.tasks.search_refresh_catch_up", "messaging.tasks.relay_outbox"} <= entries
