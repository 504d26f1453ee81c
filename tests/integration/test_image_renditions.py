"""A product photo's renditions are made after commit whichever path saved it, recorded on
its row, replaced with the photo and deleted with it; the catch-up and `render_images` make
those that are missing."""

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from oscar.core.loading import get_model
from PIL import Image

from catalog.renditions import rendition_name
from catalog.services import (
    image_renditions_catch_up,
    image_renditions_make,
    images_unrendered,
)
from tests.factories import ProductImageFactory
from tests.photos import palette_png, photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")


def names(original: str) -> list[str]:
    return [rendition_name(original, slot) for slot in (400, 800)]


def stored(original: str) -> list[bool]:
    return [default_storage.exists(name) for name in names(original)]


def image_saved(capture, content: bytes = b"", name: str = "miel.jpg", **fields) -> ProductImage:
    """A product image saved as a screen would, what its commit enqueues run."""
    upload = ContentFile(content or photo(1600), name=name)
    with capture(execute=True):
        image = ProductImageFactory(original=upload, **fields)
    return ProductImage.objects.get(pk=image.pk)


def test_a_new_photo_gets_its_renditions_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image = ProductImageFactory(original=ContentFile(photo(1600), name="miel.jpg"))
    assert stored(image.original.name) == [False, False]  # not before the commit
    for callback in callbacks:
        callback()
    image.refresh_from_db()
    assert image.renditions_of == image.original.name
    assert image.renditions == [[400, 400, 400], [800, 800, 800]]
    assert stored(image.original.name) == [True, True]
    with default_storage.open(names(image.original.name)[1]) as file:
        assert Image.open(file).size == (800, 800)


def test_a_caption_or_order_change_renders_nothing(django_capture_on_commit_callbacks):
    image = image_saved(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        image.caption, image.display_order = "Miel de lavande", 1
        image.save()
    assert callbacks == []


def test_a_replaced_photo_gets_new_renditions_and_the_old_ones_go(
    django_capture_on_commit_callbacks,
):
    image = image_saved(django_capture_on_commit_callbacks, name="miel.jpg")
    old = image.original.name
    with django_capture_on_commit_callbacks(execute=True):
        image.original.save("miel-nouveau.png", ContentFile(palette_png(600)))
    image.refresh_from_db()
    assert image.renditions_of == image.original.name != old
    assert image.renditions == [[400, 400, 400], [800, 600, 600]]
    assert stored(image.original.name) == [True, True]
    assert stored(old) == [False, False]


def test_deleting_an_image_or_its_product_deletes_the_renditions(
    django_capture_on_commit_callbacks,
):
    first = image_saved(django_capture_on_commit_callbacks, name="a.jpg")
    second = image_saved(django_capture_on_commit_callbacks, name="b.jpg", product=first.product)
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()  # Oscar's delete, which saves the other images' order again
    assert stored(first.original.name) == [False, False]
    assert stored(second.original.name) == [True, True]
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(pk=second.product_id).delete()
    assert stored(second.original.name) == [False, False]


def test_an_unreadable_original_is_recorded_and_not_tried_again(
    django_capture_on_commit_callbacks, caplog
):
    image = image_saved(django_capture_on_commit_callbacks, content=photo(800)[:200])
    assert (image.renditions_of, image.renditions) == (image.original.name, [])
    assert "No rendition for image" in caplog.text
    assert not images_unrendered().exists()
    assert stored(image.original.name) == [False, False]


def test_the_catch_up_renders_what_no_task_did():
    rendered = ProductImageFactory(original=ContentFile(photo(400), name="a.jpg"))
    missing = ProductImageFactory(original=ContentFile(photo(400), name="b.jpg"))
    assert list(images_unrendered()) == [rendered, missing]  # no commit ran: no task either
    assert image_renditions_catch_up(limit=1) == (1, 0)
    assert list(images_unrendered()) == [missing]
    assert image_renditions_catch_up() == (1, 0)
    assert image_renditions_catch_up() == (0, 0)
    assert stored(missing.original.name) == [True, False]  # 400 px: one rendition


def test_the_catch_up_is_on_the_beat_schedule(settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "catalog.tasks.image_renditions_catch_up" in entries


def test_the_task_of_an_image_deleted_meanwhile_does_nothing():
    from catalog.tasks import image_renditions

    assert image_renditions(image_id=987654) is False


def render_images(*args: str) -> str:
    out = StringIO()
    call_command("render_images", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_renders_the_missing_renditions_and_is_idempotent():
    images = [
        ProductImageFactory(original=ContentFile(photo(900, seed=n), name=f"p{n}.jpg"))
        for n in range(3)
    ]
    broken = ProductImageFactory(original=ContentFile(b"not a picture", name="cassee.jpg"))
    output = render_images()
    assert "faites pour 3 photos" in output and "1 photo illisible" in output
    assert all(stored(image.original.name) == [True, True] for image in images)
    assert not images_unrendered().exists()
    assert "rien à faire" in render_images()  # nothing left: a second run is free
    ProductImage.objects.filter(pk=images[0].pk).update(renditions_of="")
    assert "faites pour 1 photo en" in render_images("--missing-only")
    output = render_images("--all")
    assert "faites pour 3 photos" in output and "1 photo illisible" in output
    assert ProductImage.objects.get(pk=broken.pk).renditions == []


def test_a_storage_out_of_reach_is_retried_not_recorded_as_unreadable(monkeypatch):
    """A ConnectionError is an OSError, like a broken picture: the task must retry it."""
    image = ProductImageFactory(original=ContentFile(photo(400), name="miel.jpg"))

    def unreachable(*args, **kwargs):
        raise ConnectionError("storage out of reach")

    monkeypatch.setattr("catalog.services.renditions_render", unreachable)
    with pytest.raises(ConnectionError):
        image_renditions_make(image=image)
    assert ProductImage.objects.get(pk=image.pk).renditions_of == ""
