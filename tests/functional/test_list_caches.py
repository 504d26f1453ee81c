"""What list pages keep between visitors (catalog/cache.py): the total of a list, and the ids a
search page lists. Counting and ranking a whole catalogue were most of a list page's time at
ten times the reference town; what a page shows of each product stays live."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.services import product_search_refresh
from tests.factories import ShopFactory, product_offered

pytestmark = pytest.mark.django_db


def sql_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def jams(db):
    shop = ShopFactory()
    fruits = ("abricot", "cassis", "fraise", "myrtille", "rhubarbe")
    products = [
        product_offered(title=f"Confiture {fruit}", shop=shop, price="3.50") for fruit in fruits
    ]
    product_search_refresh()
    return products


def test_the_total_of_a_list_is_counted_once_then_kept(client, jams, settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 2
    first = sql_of(client, "/catalogue/")
    assert any("COUNT(" in sql for sql in first)
    again = sql_of(client, "/catalogue/")
    assert not any("COUNT(" in sql for sql in again)
    assert "5 produits" in client.get("/catalogue/").content.decode()


def test_each_filter_has_its_own_total(client, jams, settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 2
    assert "5 produits" in client.get("/catalogue/").content.decode()
    assert "1 produit" in client.get("/catalogue/?q=rhubarbe").content.decode()
    assert "5 produits" in client.get("/catalogue/").content.decode()


def test_a_search_ranks_once_then_reads_its_page_from_the_cache(client, jams):
    url = "/search/?q=confiture"
    sql_of(client, url)
    again = sql_of(client, url)
    products = [sql for sql in again if 'FROM "catalogue_product"' in sql]
    assert products and all('"catalogue_product"."id" IN' in sql for sql in products), products
    page = client.get(url)
    assert [p.title for p in page.context["products"]] == sorted(p.title for p in jams)


def test_a_product_taken_off_sale_leaves_a_cached_search_page_at_once(client, jams):
    url = "/search/?q=confiture"
    client.get(url)
    gone = jams[0]
    gone.stockrecords.update(is_on_sale=False)
    listed = client.get(url).context["products"]
    assert gone not in listed and len(listed) == 4


def test_a_new_sort_is_ranked_on_its_own(client, jams):
    client.get("/search/?q=confiture")
    by_title = client.get("/search/?q=confiture&sort_by=title").context["products"]
    newest = client.get("/search/?q=confiture&sort_by=newest").context["products"]
    assert list(newest) == list(reversed(list(by_title)))


def test_a_page_past_the_counted_end_goes_back_to_page_one(client, jams, settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 2
    client.get("/search/?q=confiture")
    response = client.get("/search/?q=confiture&page=9")
    assert response.status_code == 302 and "page" not in response["Location"]


def test_the_facets_are_kept_and_show_a_new_shop_at_once(client, jams):
    html = client.get("/catalogue/").content.decode()
    assert 'aria-labelledby="dx-facet-shops"' in html and "Fromagerie du Port" not in html
    product_offered(title="Confiture de figues", shop=ShopFactory(name="Fromagerie du Port"))
    product_search_refresh()
    assert "Fromagerie du Port" in client.get("/catalogue/").content.decode()
