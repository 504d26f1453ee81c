"""Database search: French stemming, accents and typos on PostgreSQL; a fallback on SQLite."""

import pytest
from django.db import connection

from catalog import selectors
from catalog.services import product_search_refresh
from tests.factories import ShopFactory, category_create, product_offered


@pytest.fixture
def bakery_catalogue(db):
    bread = category_create("Pains")
    cheese = category_create("Fromages")
    shop = ShopFactory(name="Au Bon Pain")
    products = {
        "pain": product_offered(title="Pain de la boulangère", shop=shop, category=bread),
        "croissant": product_offered(
            title="Croissant au beurre", shop=shop, category=bread, price="1.20"
        ),
        "tarte": product_offered(
            title="Tarte des boulangères", description="Une tarte aux pommes", price="12.00"
        ),
        "comte": product_offered(title="Comté 18 mois", category=cheese, price="6.90"),
    }
    product_search_refresh()
    return products


def titles(query: str, **kwargs) -> set[str]:
    return {p.title for p in selectors.products_search(query=query, **kwargs)}


def test_accents_case_and_plural_find_the_same_products(on_postgres, bakery_catalogue):
    expected = {"Pain de la boulangère", "Tarte des boulangères"}
    for query in ("boulangere", "Boulangère", "boulangeres"):
        ranked = [p.title for p in selectors.products_search(query=query)]
        # The words as typed first, then what the town's synonyms add (boulangère ~ pain).
        assert set(ranked[:2]) == expected, query
        assert set(ranked) == expected | {"Croissant au beurre"}, query


def test_category_names_are_searched(on_postgres, bakery_catalogue):
    assert titles("pains") >= {"Croissant au beurre", "Pain de la boulangère"}


def test_a_typo_still_finds_the_product(on_postgres, bakery_catalogue):
    assert titles("croisant") == {"Croissant au beurre"}
    assert titles("comte") == {"Comté 18 mois"}


def test_title_matches_rank_above_description_matches(on_postgres, bakery_catalogue):
    product_offered(title="Pommes golden", price="3.00")
    product_search_refresh()
    ranked = [p.title for p in selectors.products_search(query="pommes")]
    assert ranked == ["Pommes golden", "Tarte des boulangères"]


def test_search_vector_is_stored_and_indexed(on_postgres, bakery_catalogue):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM catalogue_product WHERE search_vector IS NOT NULL")
        assert cursor.fetchone()[0] == 4
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'catalogue_product'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"product_search_vector_gin", "product_search_text_trgm"} <= indexes


def test_search_uses_the_french_configuration(on_postgres, bakery_catalogue):
    sql = str(selectors.products_search(query="Boulangère").query)
    # The query's words are normalised (no accents) before PostgreSQL stems them in French.
    assert "french" in sql and "boulangere" in sql and "Boulangère" not in sql


def test_fallback_search_ignores_accents_and_plurals(db, bakery_catalogue):
    # Runs on both databases: on SQLite it exercises the fallback.
    assert "Pain de la boulangère" in titles("BOULANGÈRE")
    assert "Tarte des boulangères" in titles("boulangeres")


def test_search_within_a_shop_and_a_category(db, bakery_catalogue):
    shop = bakery_catalogue["pain"].stockrecords.get().partner
    bread = bakery_catalogue["pain"].categories.get()
    assert titles("", shop_id=shop.pk) == {"Pain de la boulangère", "Croissant au beurre"}
    assert titles("", categories=bread.get_descendants_and_self()) == {
        "Pain de la boulangère",
        "Croissant au beurre",
    }


def test_sort_by_price_and_newest(db, bakery_catalogue):
    by_price = [p.title for p in selectors.products_search(sort="price-asc")]
    assert by_price[0] == "Croissant au beurre" and by_price[-1] == "Tarte des boulangères"
    by_price_desc = [p.title for p in selectors.products_search(sort="price-desc")]
    assert by_price_desc == list(reversed(by_price))
    newest = [p.title for p in selectors.products_search(sort="newest")]
    assert newest[0] == "Comté 18 mois"


def test_facets_count_products_per_category_and_shop(db, bakery_catalogue):
    everything = selectors.products_search()
    categories = {f.label: f.count for f in selectors.category_facets(products=everything)}
    assert categories == {"Pains": 2, "Fromages": 1}
    shops = {f.label: f.count for f in selectors.shop_facets(products=everything)}
    assert shops["Au Bon Pain"] == 2


def test_category_facets_count_descendants_once(db):
    food = category_create("Alimentation")
    bread = category_create("Pains", parent=food)
    pastry = category_create("Viennoiseries", parent=food)
    product = product_offered(title="Pain au chocolat", category=bread)
    product.categories.add(pastry)
    facets = selectors.category_facets(products=selectors.products_search())
    assert [(f.label, f.count) for f in facets] == [("Alimentation", 1)]
    children = selectors.category_facets(products=selectors.products_search(), parent=food)
    assert {(f.label, f.count) for f in children} == {("Pains", 1), ("Viennoiseries", 1)}


def test_products_without_a_shop_or_not_public_are_not_listed(db, bakery_catalogue):
    from tests.factories import ProductFactory

    ProductFactory(title="Pain sans boutique")
    hidden = product_offered(title="Pain caché", is_public=False)
    product_search_refresh()
    found = titles("pain")
    assert "Pain sans boutique" not in found and hidden.title not in found


def test_saving_a_product_refreshes_its_search_columns(
    db, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = product_offered(title="Fougasse aux olives", description="<p>Huile d'olive</p>")
    product.refresh_from_db()
    assert product.search_text.startswith("fougasse aux olives ")
    assert product.search_text.endswith(" huile d olive")  # the description, after the EAN
    with django_capture_on_commit_callbacks(execute=True):
        product.categories.add(category_create("Pains spéciaux"))
    product.refresh_from_db()
    assert product.search_text.startswith("fougasse aux olives pains speciaux ")
