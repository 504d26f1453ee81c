"""List pages run a constant number of SQL queries, whatever the number of products shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.services import image_renditions_make, product_search_refresh
from tests.factories import (
    ClosingPeriodFactory,
    ProductImageFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    product_offered,
    week_hours,
)

pytestmark = pytest.mark.django_db
BUDGET = 20


def add_products(category, shops, start: int, stop: int) -> None:
    """Products with a photo each: rendered for two in three (their cards print a srcset),
    not yet for the others (their cards print the original)."""
    for i in range(start, stop):
        product = product_offered(
            title=f"Confiture {i}", shop=shops[i % len(shops)], category=category, price="3.50"
        )
        image = ProductImageFactory(product=product)
        if i % 3:
            image_renditions_make(image=image)
    product_search_refresh()


def test_list_pages_run_a_constant_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    settings.OSCAR_PRODUCTS_PER_PAGE = 100
    settings.DIGITAIX_AGGREGATES_CACHE_SECONDS = 0  # the worst case: nothing cached
    settings.DIGITAIX_CARD_CACHE_SECONDS = 0
    category = category_create("Épicerie")
    shops = [ShopFactory(), ShopFactory()]
    pages = {
        "home": "/",
        "catalogue": "/catalogue/",
        "category": category.get_absolute_url(),
        "search": "/search/?q=confiture",
    }

    def measure(shown: int) -> dict:
        counts = {}
        for name, url in pages.items():
            client.get(url)  # warm what is cached once per process (site, content types)
            with django_assert_max_num_queries(BUDGET) as captured:
                response = client.get(url)
            assert response.status_code == 200
            if name != "home":
                assert len(response.context["products"]) == shown
            counts[name] = len(captured.captured_queries)
        return counts

    add_products(category, shops, 0, 10)
    with_10 = measure(10)
    add_products(category, shops, 10, 100)
    with_100 = measure(100)
    assert with_10 == with_100
    assert client.get("/catalogue/").content.decode().count(" srcset=") == 66  # 2 in 3 rendered


def test_home_runs_as_many_queries_for_six_shops_as_for_two(
    client, settings, django_assert_max_num_queries
):
    """The home's shop cards (name, trade, town, product count) cost no query per shop."""
    settings.DIGITAIX_AGGREGATES_CACHE_SECONDS = 0
    category = category_create("Épicerie")

    def measure() -> tuple[int, int]:
        client.get("/")
        with django_assert_max_num_queries(BUDGET) as captured:
            response = client.get("/")
        assert response.status_code == 200
        return len(captured.captured_queries), len(response.context["featured_shops"])

    add_products(category, [ShopFactory(city="Aix-les-Bains") for _ in range(2)], 0, 4)
    two, shown = measure()
    assert shown == 2
    add_products(category, [ShopFactory(city="Aix-les-Bains") for _ in range(4)], 4, 12)
    assert measure() == (two, 6)


PRODUCT_PAGE_BUDGET = 12  # Oscar's own page runs 16 on the same product (make bench)


def test_product_page_cost_does_not_grow_with_its_offers_photos_or_categories(
    client, django_assert_max_num_queries
):
    """Its offers, photos and categories come with the product (catalog.selectors
    .product_for_page): the strategy, the page and its JSON-LD read them without a query."""
    product = product_offered(title="Miel de montagne", category=category_create("Épicerie"))
    ProductImageFactory(product=product)

    def measure() -> int:
        client.get(product.get_absolute_url())
        with django_assert_max_num_queries(PRODUCT_PAGE_BUDGET) as captured:
            assert client.get(product.get_absolute_url()).status_code == 200
        return len(captured.captured_queries)

    StockRecordFactory(product=product)
    two_offers = measure()
    for _ in range(8):
        StockRecordFactory(product=product)
    for _ in range(3):
        ProductImageFactory(product=product)
    product.categories.add(category_create("Miels"))
    assert measure() == two_offers


def test_catalogue_wide_aggregates_are_cached_between_visits(client, settings):
    settings.DIGITAIX_AGGREGATES_CACHE_SECONDS = 60
    category = category_create("Épicerie")
    add_products(category, [ShopFactory()], 0, 3)
    for url in ("/", "/catalogue/", "/search/?q=confiture"):
        with CaptureQueriesContext(connection) as first:
            client.get(url)
        with CaptureQueriesContext(connection) as second:
            response = client.get(url)
        assert len(second.captured_queries) < len(first.captured_queries), url
        assert response.status_code == 200


def test_shop_pages_run_a_constant_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    settings.OSCAR_PRODUCTS_PER_PAGE = 100
    settings.DIGITAIX_SHOPS_PER_PAGE = 100
    settings.DIGITAIX_AGGREGATES_CACHE_SECONDS = 0
    category = category_create("Épicerie")
    shop = ShopFactory(name="Épicerie du centre")
    week_hours(shop)
    ClosingPeriodFactory(shop=shop)
    pages = {"directory": "/boutiques/?q=e", "open_now": "/boutiques/?open_now=on&delivery=on"}
    pages["storefront"] = reverse("shops:storefront", kwargs={"slug": shop.code})

    def add_shops(count: int) -> None:
        for _ in range(count):
            other = ShopFactory(offers_delivery=True)
            week_hours(other, days=range(7), spans=((0, 12), (12, 23)))
            ClosingPeriodFactory(shop=other)
            product_offered(title="Miel", shop=other, category=category)

    def measure(shown: int) -> dict:
        counts = {}
        for name, url in pages.items():
            client.get(url)
            with django_assert_max_num_queries(BUDGET) as captured:
                response = client.get(url)
            assert response.status_code == 200
            listed = response.context["products" if name == "storefront" else "shops"]
            assert name == "open_now" or len(listed) == shown
            counts[name] = len(captured.captured_queries)
        return counts

    add_shops(9)
    add_products(category, [shop], 0, 10)
    with_10 = measure(10)
    add_shops(90)
    add_products(category, [shop], 10, 100)
    with_100 = measure(100)
    assert with_10 == with_100
