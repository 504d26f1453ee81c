"""Only live shops, and what they offer, are shown to the public."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import selectors as catalog_selectors
from catalog.services import product_search_refresh
from shops import selectors
from shops.strategy import Default
from tests.factories import (
    ShopFactory,
    StockRecordFactory,
    category_create,
    commerce_staff_create,
    product_offered,
)

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")


@pytest.fixture
def mixed_town():
    live = ShopFactory(name="Fromagerie ouverte")
    pending = ShopFactory(name="Boutique en attente", status="pending")
    suspended = ShopFactory(name="Boutique suspendue", status="suspended")
    category = category_create("Fromages")
    shared = product_offered(
        title="Tomme partagée", shop=suspended, price="3.00", category=category
    )
    StockRecordFactory(product=shared, partner=live, price="5.00")
    product_offered(title="Tomme en ligne", shop=live, category=category)
    hidden = product_offered(title="Tomme en attente", shop=pending, category=category)
    product_offered(title="Tomme suspendue", shop=suspended, category=category)
    product_search_refresh()
    return {"live": live, "suspended": suspended, "shared": shared, "hidden": hidden}


def test_only_live_shops_and_their_products_are_public(mixed_town):
    assert list(selectors.shops_online()) == [mixed_town["live"]]
    on_sale = {p.title for p in catalog_selectors.products_on_sale()}
    assert on_sale == {"Tomme partagée", "Tomme en ligne"}
    assert selectors.portal_counters() == {"shops": 1, "products": 2}


def test_facets_and_search_never_name_a_shop_that_is_not_live(mixed_town):
    found = catalog_selectors.products_search(query="tomme")
    assert {p.title for p in found} == {"Tomme partagée", "Tomme en ligne"}
    shops = {f.label for f in catalog_selectors.shop_facets(products=found)}
    assert shops == {"Fromagerie ouverte"}


def test_pages_hide_shops_that_are_not_live(client, mixed_town):
    html = client.get("/catalogue/").content.decode()
    assert "Tomme en ligne" in html and "Tomme suspendue" not in html
    assert "Boutique suspendue" not in html
    assert client.get(mixed_town["hidden"].get_absolute_url()).status_code == 404
    shared = client.get(mixed_town["shared"].get_absolute_url())
    assert shared.status_code == 200
    assert [o.partner.name for o in shared.context["offers"]] == ["Fromagerie ouverte"]


def test_staff_still_see_a_product_no_live_shop_offers(client, mixed_town):
    clerk = get_user_model().objects.create_user("m", "m@example.fr", "x" * 12, is_staff=True)
    client.force_login(clerk)  # is_staff alone is no role
    assert client.get(mixed_town["hidden"].get_absolute_url()).status_code == 404
    client.force_login(commerce_staff_create())
    assert client.get(mixed_town["hidden"].get_absolute_url()).status_code == 200


def test_the_basket_buys_from_a_live_shop_even_when_another_offer_comes_first(mixed_town):
    shared = get_model("catalogue", "Product").objects.get(pk=mixed_town["shared"].pk)
    info = Default().fetch_for_product(shared)
    assert info.stockrecord.partner == mixed_town["live"]
    prefetched = catalog_selectors.products_for_cards(
        catalog_selectors.products_on_sale().filter(pk=shared.pk)
    ).get()
    assert Default().fetch_for_product(prefetched).stockrecord.partner == mixed_town["live"]


def test_a_product_only_a_hidden_shop_offers_cannot_be_bought(mixed_town):
    info = Default().fetch_for_product(mixed_town["hidden"])
    assert info.stockrecord is None
    assert not info.availability.is_available_to_buy


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_the_database_refuses_a_malformed_siret_or_status():
    shop = ShopFactory()
    for field, value in (("siret", "12345"), ("status", "open")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Partner.objects.filter(pk=shop.pk).update(**{field: value})


def test_the_database_refuses_hours_or_closures_in_the_wrong_order():
    shop = ShopFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(
            shop=shop, weekday=1, opens=datetime.time(19), closes=datetime.time(9)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosingPeriod.objects.create(shop=shop, starts_on=in_days(45), ends_on=in_days(31))
    OpeningHours.objects.create(
        shop=shop, weekday=1, opens=datetime.time(9), closes=datetime.time(12)
    )
    assert str(shop.opening_hours.get()) == "Mardi 09:00–12:00"


def test_a_withdrawn_offer_is_hidden_everywhere_and_never_sold(client):
    shop = ShopFactory(name="Cave du lac")
    only = product_offered(title="Vin retiré", shop=shop)
    shared = product_offered(title="Vin partagé", shop=ShopFactory(), price="8.00")
    cheap = StockRecordFactory(product=shared, partner=shop, price="2.00")
    only.stockrecords.update(is_on_sale=False)
    cheap.is_on_sale = False
    cheap.save()
    product_search_refresh()

    assert {p.title for p in catalog_selectors.products_on_sale()} == {"Vin partagé"}
    assert client.get(only.get_absolute_url()).status_code == 404
    page = client.get(shared.get_absolute_url())
    assert [o.price for o in page.context["offers"]] == [8]
    # The strategy skips it on prefetched lists (list pages) and on a plain product alike.
    card = catalog_selectors.products_for_cards(catalog_selectors.products_on_sale()).get()
    assert Default().fetch_for_product(card).stockrecord.price == 8
    assert Default().fetch_for_product(shared).stockrecord.price == 8
    counts = {s.name: s.product_count for s in selectors.shops_featured()}
    assert counts["Cave du lac"] == 0


def test_the_sitemap_lists_only_live_shops_and_their_products(client, mixed_town):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    sections = index.content.decode()
    for section in ("pages", "boutiques", "produits", "categories"):
        assert f"/sitemap-{section}.xml" in sections

    shops = client.get("/sitemap-boutiques.xml").content.decode()
    # Absolute URLs on the portal's address, the same as the links in e-mails.
    assert f"<loc>{settings.DIGITAIX_SITE_URL}/boutiques/{mixed_town['live'].code}/</loc>" in shops
    assert f"/boutiques/{mixed_town['suspended'].code}/" not in shops
    assert shops.count("<url>") == 1  # the pending and the suspended shops are left out

    products = client.get("/sitemap-produits.xml").content.decode()
    assert mixed_town["shared"].get_absolute_url() in products
    assert mixed_town["hidden"].get_absolute_url() not in products
    assert products.count("<url>") == 2  # "Tomme partagée" and "Tomme en ligne"
    assert "/catalogue/" in client.get("/sitemap-pages.xml").content.decode()


def test_migrate_points_the_site_at_the_portals_address(settings):
    from django.contrib.sites.models import Site

    from catalog.site import site_sync

    settings.DIGITAIX_SITE_URL = "https://portail.example.fr"
    site_sync()
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("portail.example.fr", settings.OSCAR_SHOP_NAME)


def test_the_products_sitemap_runs_a_constant_number_of_queries(client):
    shop = ShopFactory()

    def queries_for(total: int) -> int:
        for i in range(total - shop.stockrecords.count()):
            product_offered(title=f"Produit {total}-{i}", shop=shop)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sitemap-produits.xml").content.decode().count("<url>") == total
        return len(queries)

    client.get("/sitemap-produits.xml")  # the Site is looked up once per process, then cached
    assert queries_for(10) == queries_for(100) <= 4
