"""The relevance table (tests/relevance/queries.py) on the database the suite runs on: SQLite
by default, PostgreSQL in CI. Every case must hold; the failure lists each miss."""

import pytest
from django.urls import reverse

from catalog import selectors
from shops.selectors import shops_found
from tests.relevance.corpus import corpus_build
from tests.relevance.queries import CASES

pytestmark = pytest.mark.django_db


def test_the_table_holds_at_least_forty_queries_of_every_kind():
    assert len(CASES) >= 40
    assert sum(case.nothing for case in CASES) >= 3
    assert any(case.query.isdigit() for case in CASES)  # an EAN


def test_every_query_of_the_relevance_table(db):
    corpus_build()
    misses = []
    for case in CASES:
        titles = [p.title for p in selectors.products_search(query=case.query)]
        shops = [shop.name for shop in shops_found(query=case.query)]
        categories = [c.name for c in selectors.categories_search(query=case.query)]
        wrong = [t for t in case.products if t not in titles[:5]]
        wrong += [s for s in case.shops if s not in shops]
        wrong += [c for c in case.categories if c not in categories]
        wrong += [f"not {t}" for t in case.absent if t in titles]
        if case.nothing and titles:
            wrong.append(f"nothing, got {titles[:3]}")
        if wrong:
            misses.append(f"{case.query!r}: missing {wrong}; got {titles[:5]} / {shops}")
    score = f"{len(CASES) - len(misses)}/{len(CASES)}"
    assert not misses, f"relevance {score}:\n" + "\n".join(misses)


def test_the_results_page_lists_shops_and_categories_first(client, db):
    corpus_build()
    html = client.get(reverse("search:search"), {"q": "fromager"}).content.decode()
    assert html.index("Fromagerie du Revard") < html.index("Tomme de Savoie")
    html = client.get(reverse("search:search"), {"q": "fromage"}).content.decode()
    assert 'class="dx-chip" href="/catalogue/category/' in html and ">Fromages</a>" in html


def test_a_query_with_no_answer_suggests_categories_and_the_shops(client, db):
    corpus_build()
    html = client.get(reverse("search:search"), {"q": "trottinette"}).content.decode()
    assert "Aucun produit ne correspond" in html and "trottinette" in html
    assert "Ou parcourez un rayon" in html and ">Alimentation</a>" in html
    assert f'href="{reverse("shops:directory")}"' in html


def test_the_directory_finds_shops_by_their_trade(client, db):
    corpus_build()
    html = client.get(reverse("shops:directory"), {"q": "fromager"}).content.decode()
    assert "Fromagerie du Revard" in html and "La Cave à Fromages" in html
    assert "Boulangerie Martin" not in html
