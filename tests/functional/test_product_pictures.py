"""Lists show each photo's renditions (src, srcset, sizes), the page's first card picture is
fetched at once, and a photo with no rendition yet shows its original, as before."""

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.renditions import rendition_name
from catalog.services import image_renditions_make, product_search_refresh
from tests.checkout import basket_fill
from tests.factories import ProductImageFactory, ShopFactory, product_offered
from tests.photos import photo

pytestmark = pytest.mark.django_db
ProductImage = get_model("catalogue", "ProductImage")


class Pictures(HTMLParser):
    """The <img> of the page's uploaded photos (under /media/), in order, as attribute dicts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and attrs.get("src", "").startswith("/media/"):
            self.found.append(attrs)


def pictures(response) -> list[dict]:
    assert response.status_code == 200
    return Pictures(response.content.decode()).found


def media(image, slot: int | None = None) -> str:
    name = rendition_name(image.original.name, slot) if slot else image.original.name
    return default_storage.url(name)


@pytest.fixture
def shop():
    return ShopFactory(name="Miellerie du Revard")


def photographed(title: str, shop, *, rendered: bool = True, size: int = 1600):
    product = product_offered(title=title, shop=shop)
    image = ProductImageFactory(
        product=product, original=ContentFile(photo(size), name=f"{title.lower()}.jpg")
    )
    if rendered:
        image_renditions_make(image=image)
    product_search_refresh(product_ids=[product.pk])
    return image


def test_cards_show_the_renditions_and_only_the_first_is_fetched_at_once(client, shop):
    first, second = photographed("Acacia", shop), photographed("Bruyère", shop)
    shown = pictures(client.get("/catalogue/?sort_by=title"))
    assert [p["src"] for p in shown] == [media(first, 400), media(second, 400)]
    assert shown[0]["srcset"] == f"{media(first, 400)} 400w, {media(first, 800)} 800w"
    assert shown[0]["sizes"] == "(min-width: 576px) 300px, 50vw"
    assert shown[0]["fetchpriority"] == "high" and "loading" not in shown[0]
    assert shown[1]["loading"] == "lazy" and "fetchpriority" not in shown[1]
    assert (shown[0]["width"], shown[0]["height"]) == ("400", "400")


def test_a_photo_not_rendered_yet_shows_its_original(client, shop):
    image = photographed("Châtaignier", shop, rendered=False)
    (shown,) = pictures(client.get("/catalogue/"))
    assert shown["src"] == media(image) and "srcset" not in shown


def test_a_small_photo_offers_only_the_widths_it_has(client, shop):
    image = photographed("Lavande", shop, size=600)
    (shown,) = pictures(client.get("/catalogue/"))
    assert shown["srcset"] == f"{media(image, 400)} 400w, {media(image, 800)} 600w"


def test_the_search_and_home_lists_fetch_their_first_picture_at_once(client, shop):
    photographed("Miel de sapin", shop)
    for url in ("/search/?q=miel", "/"):
        (shown,) = pictures(client.get(url))
        assert shown["fetchpriority"] == "high" and shown["src"].endswith(".jpg.webp"), url


def test_a_storefronts_cards_are_all_fetched_when_scrolled_near(client, shop):
    """Its list comes under the shop's banner and practical information."""
    photographed("Miel de tilleul", shop)
    shown = pictures(client.get(reverse("shops:storefront", kwargs={"slug": shop.code})))
    assert [p["loading"] for p in shown] == ["lazy"]


def test_the_product_page_shows_the_800_px_rendition_linked_to_the_original(client, shop):
    image = photographed("Miel de montagne", shop)
    ProductImageFactory(product=image.product, display_order=1)  # a second photo, not rendered
    response = client.get(image.product.get_absolute_url())
    main, thumb = pictures(response)
    assert main["src"] == media(image, 800) and main["sizes"].endswith("100vw")
    assert main["fetchpriority"] == "high"
    assert f'<a href="{media(image)}"><img src="{media(image, 800)}"' in response.content.decode()
    assert thumb["loading"] == "lazy" and "srcset" not in thumb  # its original, as before


def test_a_basket_line_shows_the_small_rendition(client, shop):
    image = photographed("Miel de châtaignier", shop)
    basket_fill(client, image.product, quantity=1)
    (shown,) = pictures(client.get(reverse("basket:summary")))
    assert shown["src"] == media(image, 400) and shown["sizes"] == "96px"
