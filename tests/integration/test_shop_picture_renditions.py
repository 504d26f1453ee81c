"""A shop's logo and banner reach the pages as small copies sized for their slot
(shops.renditions): made once the change is committed, whichever path saved it, replaced
with it, shown by the directory's cards and the storefront with srcset, the upload itself
while copies are missing; and `render_images` makes those that are missing."""

import re
from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from catalog.renditions import rendition_name
from shops.renditions import (
    BANNER_SLOTS,
    LOGO_SLOTS,
    shop_renditions_make,
    shops_unrendered,
    shops_with_pictures_unrendered,
)
from tests.factories import ShopFactory, product_offered
from tests.photos import photo

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")


def copies(original: str, slots=LOGO_SLOTS) -> list[bool]:
    return [default_storage.exists(rendition_name(original, slot)) for slot in slots]


def logo_saved(capture, content: bytes, name: str = "lac.jpg", **fields) -> Partner:
    """A live shop saved with a logo, what its commit runs run."""
    with capture(execute=True):
        shop = ShopFactory(status="live", logo=ContentFile(content, name=name), **fields)
    product_offered(title="Tomme de Savoie", shop=shop)
    return Partner.objects.get(pk=shop.pk)


def test_a_new_logo_gets_its_small_copies_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        shop = ShopFactory(logo=ContentFile(photo(512), name="lac.jpg"))
    assert copies(shop.logo.name) == [False, False]  # not before the commit
    for callback in callbacks:
        callback()
    shop.refresh_from_db()
    assert shop.logo_renditions_of == shop.logo.name
    assert shop.logo_renditions == [[96, 96, 96], [192, 192, 192]]
    assert copies(shop.logo.name) == [True, True]
    with default_storage.open(rendition_name(shop.logo.name, 192)) as file:
        small = Image.open(file)
        assert (small.format, small.size) == ("WEBP", (192, 192))
    assert default_storage.size(rendition_name(shop.logo.name, 192)) < shop.logo.size / 3


def test_a_new_logo_replaces_the_old_ones_copies(django_capture_on_commit_callbacks):
    shop = logo_saved(django_capture_on_commit_callbacks, photo(512, seed=1))
    old = shop.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        shop.logo = ContentFile(photo(400, seed=2), name="nouveau.jpg")
        shop.save()
    shop.refresh_from_db()
    assert shop.logo_renditions_of == shop.logo.name != old
    assert copies(shop.logo.name) == [True, True] and copies(old) == [False, False]


def test_other_changes_to_a_shop_render_nothing(django_capture_on_commit_callbacks, monkeypatch):
    shop = logo_saved(django_capture_on_commit_callbacks, photo(512))
    monkeypatch.setattr(
        "catalog.services.renditions_render", lambda *a, **k: pytest.fail("rendered")
    )
    with django_capture_on_commit_callbacks(execute=True):
        shop.name = "Fromagerie du Lac"
        shop.save()


def card_img(html: str) -> str:
    return re.search(r'<img class="dx-logo"[^>]*>', html).group(0)


def test_the_directory_and_the_storefront_show_the_copy_sized_for_their_slot(
    client, django_capture_on_commit_callbacks
):
    shop = logo_saved(django_capture_on_commit_callbacks, photo(512))
    small, large = (default_storage.url(rendition_name(shop.logo.name, s)) for s in LOGO_SLOTS)
    card = card_img(client.get(reverse("shops:directory")).content.decode())
    assert f'src="{small}"' in card and f'srcset="{small} 96w, {large} 192w"' in card
    assert 'sizes="72px"' in card and 'width="72" height="72"' in card
    assert shop.logo.url not in card
    storefront = reverse("shops:storefront", kwargs={"slug": shop.code})
    logo = card_img(client.get(storefront).content.decode())
    assert 'sizes="96px"' in logo and 'width="96" height="96"' in logo and "192w" in logo


def test_a_small_logo_lists_only_the_copies_made(client, django_capture_on_commit_callbacks):
    """A 64 px logo has one copy, 64 px wide: no address of a copy that does not exist."""
    shop = logo_saved(django_capture_on_commit_callbacks, photo(64))
    assert shop.logo_renditions == [[96, 64, 64]]
    card = card_img(client.get(reverse("shops:directory")).content.decode())
    only = default_storage.url(rendition_name(shop.logo.name, 96))
    assert f'srcset="{only} 64w"' in card and "192" not in card


def test_an_unreadable_logo_is_shown_as_it_is(client, django_capture_on_commit_callbacks):
    shop = logo_saved(django_capture_on_commit_callbacks, b"not a picture", name="casse.png")
    # Recorded without copies, as a product photo: not tried again on each save of the shop.
    assert (shop.logo_renditions_of, shop.logo_renditions) == (shop.logo.name, [])
    assert copies(shop.logo.name) == [False, False] and not shops_unrendered().exists()
    card = card_img(client.get(reverse("shops:directory")).content.decode())
    assert f'src="{shop.logo.url}"' in card and "srcset" not in card


def test_the_copies_of_a_logo_replaced_meanwhile_are_not_recorded():
    shop = ShopFactory(logo=ContentFile(photo(300), name="avant.jpg"))
    stale = Partner.objects.get(pk=shop.pk)
    Partner.objects.filter(pk=shop.pk).update(logo="shops/logos/apres.jpg")
    assert shop_renditions_make(shop=stale) is False
    assert copies(stale.logo.name) == [False, False]
    assert Partner.objects.get(pk=shop.pk).logo_renditions_of == ""


def render_images(*args: str) -> str:
    out = StringIO()
    call_command("render_images", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_makes_the_missing_copies_and_is_idempotent():
    # Saved before copies existed: their receiver's commit never ran (no capture).
    shops = [ShopFactory(logo=ContentFile(photo(300, seed=n), name=f"l{n}.jpg")) for n in range(2)]
    ShopFactory(logo=ContentFile(b"not a picture", name="casse.png"))
    assert shops_unrendered().count() == 3
    output = render_images()
    assert "faites pour 2 logos ou bannières" in output and "1 illisible" in output
    assert all(copies(Partner.objects.get(pk=s.pk).logo.name) == [True, True] for s in shops)
    assert not shops_unrendered().exists()  # the broken one too, recorded without copies
    assert "rien à faire" in render_images()  # nothing left: a second run is free
    output = render_images("--all")
    assert "faites pour 2 logos ou bannières" in output and "1 illisible" in output


def test_the_copies_cost_the_directory_no_query(client, django_capture_on_commit_callbacks):
    for n in range(3):
        logo_saved(django_capture_on_commit_callbacks, photo(128, seed=n), name=f"l{n}.jpg")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(reverse("shops:directory")).content.decode()
        return len(captured), html.count("96w")

    client.get(reverse("shops:directory"))
    with_copies = queries()
    Partner.objects.update(logo_renditions_of="")
    assert with_copies == (queries()[0], 3)


def test_the_seeded_shops_have_their_copies(db):
    call_command("seed_town", "--shops", "3", "--products", "6", stdout=StringIO())
    seeded = Partner.objects.exclude(logo="")
    assert seeded.exists() and not shops_unrendered().exists()
    for shop in seeded:
        assert copies(shop.logo.name) == [True, True]
        with default_storage.open(rendition_name(shop.logo.name, 96)) as file:
            assert Image.open(BytesIO(file.read())).size == (96, 96)


def test_a_banner_gets_copies_the_storefront_shows(client, django_capture_on_commit_callbacks):
    banner = ContentFile(photo(1600, seed=3), name="vitrine.jpg")
    shop = logo_saved(django_capture_on_commit_callbacks, photo(256), banner=banner)
    assert shop.banner_renditions_of == shop.banner.name
    assert copies(shop.banner.name, BANNER_SLOTS) == [True, True]
    assert shop.banner_renditions == [[800, 800, 800], [1600, 1600, 1600]]
    html = client.get(reverse("shops:storefront", kwargs={"slug": shop.code})).content.decode()
    img = re.search(r'<img class="dx-storefront__banner"[^>]*>', html).group(0)
    small, large = (default_storage.url(rendition_name(shop.banner.name, s)) for s in BANNER_SLOTS)
    assert f'src="{large}"' in img and f'srcset="{small} 800w, {large} 1600w"' in img
    assert 'sizes="(min-width: 1200px) 1140px, 100vw"' in img and shop.banner.url not in img
    assert not shops_with_pictures_unrendered().exists()


def test_a_banner_without_copies_is_shown_as_it_is(client):
    shop = ShopFactory(status="live", banner=ContentFile(photo(300), name="vitrine.jpg"))
    product_offered(title="Tomme de Savoie", shop=shop)
    assert list(shops_with_pictures_unrendered()) == [shop]
    html = client.get(reverse("shops:storefront", kwargs={"slug": shop.code})).content.decode()
    img = re.search(r'<img class="dx-storefront__banner"[^>]*>', html).group(0)
    assert f'src="{shop.banner.url}"' in img and "srcset" not in img
    assert "faites pour 1 logo ou bannière" in render_images()
    assert not shops_with_pictures_unrendered().exists()


def test_a_storage_out_of_reach_records_nothing(monkeypatch):
    shop = ShopFactory(logo=ContentFile(photo(300), name="lac.jpg"))

    def unreachable(*args, **kwargs):
        raise ConnectionError("storage out of reach")

    monkeypatch.setattr("catalog.services.renditions_render", unreachable)
    with pytest.raises(ConnectionError):
        shop_renditions_make(shop=shop)
    assert Partner.objects.get(pk=shop.pk).logo_renditions_of == ""
