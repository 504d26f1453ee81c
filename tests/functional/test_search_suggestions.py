"""/search/suggestions/: the type-ahead's JSON, the same matching as the results page, a fixed
number of queries, and user text as data only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import selectors
from catalog.services import product_search_refresh
from tests.factories import ShopFactory, category_create, product_offered
from tests.relevance.corpus import corpus_build
from tests.relevance.queries import CASES

pytestmark = pytest.mark.django_db
URL = "/search/suggestions/"


@pytest.fixture
def town():
    cheese = category_create("Fromages", category_create("Alimentation"))
    shop = ShopFactory(name="Fromagerie du Lac", trade="fromagerie", status="live")
    product_offered(title="Comté 18 mois", shop=shop, price="6.90", category=cheese)
    product_offered(title="Tomme de Savoie", shop=shop, price="18.90", category=cheese)
    product_search_refresh()
    return shop


def test_the_suggestions_name_shops_categories_and_products(client, town):
    assert reverse("search:suggestions") == URL
    data = client.get(URL, {"q": "fromager"}).json()
    assert data["shops"] == [
        {"label": "Fromagerie du Lac", "meta": "Fromagerie", "url": f"/boutiques/{town.code}/"}
    ]
    assert [c["label"] for c in data["categories"]] == ["Fromages"]
    assert {p["label"] for p in data["products"]} == {"Comté 18 mois", "Tomme de Savoie"}
    comte = next(p for p in data["products"] if p["label"] == "Comté 18 mois")
    assert comte["meta"] == "6,90 €" and comte["url"].startswith("/catalogue/")


def test_a_word_being_typed_is_taken_as_the_start_of_a_word(client, town):
    data = client.get(URL, {"q": "tom"}).json()
    assert [p["label"] for p in data["products"]] == ["Tomme de Savoie"]


@pytest.mark.parametrize("query", ["", "a", "  ", "?"])
def test_fewer_than_two_letters_answer_nothing(client, town, query):
    data = client.get(URL, {"q": query}).json()
    assert data["shops"] == data["categories"] == data["products"] == []


def test_user_text_is_data(client, town):
    product_offered(title="<img src=x onerror=alert(1)> fromage", shop=town)
    product_search_refresh()
    response = client.get(URL, {"q": "fromage"})
    # JSON, never sniffed as HTML; site.js puts each label in with textContent.
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    labels = [p["label"] for p in response.json()["products"]]
    assert "<img src=x onerror=alert(1)> fromage" in labels


def test_the_suggestions_read_a_fixed_number_of_queries(client, town, settings):
    settings.DIGITAIX_AGGREGATES_CACHE_SECONDS = 0  # every request computed

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"q": "fromage"}).status_code == 200
        return len(captured)

    count()  # the caches (synonyms, shops' texts) filled
    few = count()
    for n in range(10):
        product_offered(title=f"Fromage n°{n}", shop=town)
    product_search_refresh()
    assert count() == few


def test_the_same_words_are_answered_from_the_cache_for_a_while(client, town):
    first = client.get(URL, {"q": "Fromager"}).json()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(URL, {"q": "fromager "}).json()  # the same words, normalised
    searched = [q["sql"] for q in captured if "catalogue_" in q["sql"] or "partner_" in q["sql"]]
    # Only the catalogue's version (latest changes), neither the catalogue nor the shops again.
    assert len(searched) == 1 and searched[0].startswith("SELECT (SELECT MAX(date_updated)")
    assert again["products"] == first["products"] and again["query"] == "fromager "


def test_a_product_put_on_sale_is_suggested_at_once(client, town):
    """Answers are kept under the catalogue's version: a change shows on the next keystroke."""
    assert client.get(URL, {"q": "reblochon"}).json()["products"] == []
    product_offered(title="Reblochon fermier", shop=ShopFactory(name="Fromagerie du Lac"))
    product_search_refresh()
    labels = [p["label"] for p in client.get(URL, {"q": "reblochon"}).json()["products"]]
    assert labels == ["Reblochon fermier"]


def _typed(query: str) -> list[str]:
    """What a resident types on the way to `query`: every beginning of 2 letters or more."""
    return sorted({query[:n] for n in range(2, len(query) + 1) if query[:n].strip()})


def test_the_products_suggested_are_the_first_the_search_ranks(db):
    """The type-ahead's own statement (compiled once per process on PostgreSQL, the words as
    parameters) answers what `products_search` ranks first, keystroke by keystroke, for every
    query of the relevance table: the same matching, synonyms, accents and order (of the
    first 40, where a difference in ranking would show)."""
    corpus_build()
    differ = []
    for query in {case.query for case in CASES}:
        for typed in _typed(query):
            expected = selectors.products_search(query=typed, typing=True)[:40]
            suggested = selectors.product_suggestions(query=typed, limit=40)
            if [p["label"] for p in suggested] != [p.title for p in expected]:
                differ.append(typed)
    assert not differ


def test_the_product_suggestions_are_the_orms_statement_in_one_query_on_postgresql(db):
    """Word for word the statement the ORM builds for the same words (so both tsqueries, the
    words with synonyms and the words as typed, are where they belong), in one query."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite builds the type-ahead's query with the ORM, as the results page")
    corpus_build()
    selectors.product_suggestions(query="fromage")  # the synonyms cached
    for typed in ("tomme de sav", "choc", "fromager"):
        products = selectors.products_search(query=typed, typing=True)
        sql, params = selectors._suggestion_values(products)[:6].query.sql_with_params()
        with connection.cursor() as cursor:
            expected = cursor.mogrify(sql, params).decode()
        with CaptureQueriesContext(connection) as captured:
            assert selectors.product_suggestions(query=typed)
        assert [q["sql"] for q in captured] == [expected]
