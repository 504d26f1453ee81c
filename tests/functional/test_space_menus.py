"""No 403 (nor 404, nor 500) anywhere in the spaces' menus.

Signed in as the town's staff, every STAFF_MENU entry opens, and so does every link those
pages show under /gestion/ and /moderation-avis/ (one level deep); signed in as a merchant,
every MERCHANT_MENU entry that resolves opens. The menus are read from digitaix.spaces.menus,
so an entry added there is walked here without touching this test.
"""

import datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from oscar.core.loading import get_model

from delivery.models import DispatchAlert, Round, Slot
from digitaix.spaces.menus import MERCHANT_MENU, STAFF_MENU
from shops.services import product_moderate
from tests.delivery import courier
from tests.factories import (
    OpeningHoursFactory,
    ShopFactory,
    commerce_staff_create,
    merchant_create,
    product_offered,
    shop_order_placed,
)

pytestmark = pytest.mark.django_db

ProductReview = get_model("reviews", "ProductReview")
ShopIdentityChange = get_model("partner", "ShopIdentityChange")
STAFF_PREFIXES = ("/gestion/", "/moderation-avis/")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_under(page_url: str, html: str, prefixes: tuple[str, ...]) -> set[str]:
    parser = LinkParser()
    parser.feed(html)
    found = set()
    for href in parser.hrefs:
        parts = urlsplit(urljoin(page_url, href))
        if parts.scheme not in ("", "http") or not parts.path.startswith(prefixes):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def opens(client, url: str) -> tuple[bool, str]:
    """Answers 200, directly or after redirects (302/301) that end on a 200."""
    response = client.get(url, follow=True)
    hops = [status for _url, status in response.redirect_chain]
    ok = response.status_code == 200 and all(status in (301, 302) for status in hops)
    return ok, f"{url} -> {hops + [response.status_code]}"


def menu_urls(menu, shop=None) -> list[str]:
    urls = []
    for entry in menu:
        if entry.per_shop and shop is None:
            continue
        try:
            urls.append(reverse(entry.url_name, args=[shop.code] if entry.per_shop else []))
        except NoReverseMatch:
            continue  # the base template hides it too
    return urls


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town():
    """Something in every list, so that each page shows the links to its rows."""
    staff = commerce_staff_create()
    live = ShopFactory(name="Fromagerie du Lac")
    merchant = merchant_create(live, email="lac@example.fr", role="owner")
    OpeningHoursFactory(shop=live)
    product = product_offered(title="Comté", shop=live)
    ProductReview.objects.create(product=product, title="Bon", score=5, body="Oui", name="X")
    withdrawn = product_offered(title="Copie", shop=live)
    product_moderate(product=withdrawn, by=staff, action="withdraw", reason="Contrefaçon")
    pending = ShopFactory(name="Nouvelle", status="pending")
    merchant_create(pending, email="nouvelle@example.fr")
    ShopIdentityChange.objects.create(shop=live, after={"name": "Fromagerie du Grand Lac"})
    shop_order_placed(live)
    start = timezone.now().replace(microsecond=0)
    slot = Slot.objects.create(
        kind=Slot.Kind.DELIVERY, start=start, end=start + datetime.timedelta(hours=1), capacity=5
    )
    Round.objects.create(slot=slot, courier=courier("livreur@example.fr"))
    DispatchAlert.objects.create(slot=slot, message="Pas assez de livreurs")
    return {"staff": staff, "merchant": merchant, "shop": live}


def test_every_staff_menu_entry_and_every_link_on_those_pages_opens(client, town):
    client.force_login(town["staff"])
    entries = menu_urls(STAFF_MENU)
    assert reverse("space:staff-home") in entries and len(entries) == len(STAFF_MENU)
    failures, linked = [], set()
    for url in entries:
        ok, seen = opens(client, url)
        if not ok:
            failures.append(seen)
            continue
        linked |= links_under(url, client.get(url).content.decode(), STAFF_PREFIXES)
    assert len(linked - set(entries)) > 10, "the pages showed too few links to follow"
    for url in sorted(linked - set(entries)):
        ok, seen = opens(client, url)
        if not ok:
            failures.append(seen)
    assert not failures, "\n".join(failures)


def test_every_merchant_menu_entry_that_resolves_opens(client, town):
    client.force_login(town["merchant"])
    entries = menu_urls(MERCHANT_MENU, shop=town["shop"])
    assert reverse("space:today", args=[town["shop"].code]) in entries
    failures = [seen for ok, seen in (opens(client, url) for url in entries) if not ok]
    assert not failures, "\n".join(failures)


def test_the_staff_menu_shows_every_entry_and_marks_the_current_page(client, town):
    client.force_login(town["staff"])
    html = client.get(reverse("moderation:products")).content.decode()
    for url in menu_urls(STAFF_MENU):
        assert f'href="{url}"' in html
    products = reverse("moderation:products")
    assert f'href="{products}" aria-current="page"' in html
