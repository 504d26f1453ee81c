"""The relevance table (tests/relevance/queries.py) on the database the suite runs on: SQLite
by default, PostgreSQL in CI. Every case must hold; the failure lists each miss."""

import pytest
from django.urls import reverse

from catalog import selectors
from shops.selectors import shops_found
from tests.factories import ShopFactory
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


def test_town_staff_edit_the_synonyms_and_search_follows_at_once(
    client, db, django_capture_on_commit_callbacks
):
    from tests.factories import commerce_staff_create, merchant_create

    corpus_build()
    url = reverse("space:search-words")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(merchant_create(ShopFactory(), email="m@example.fr"))
    assert client.get(url).status_code == 403
    client.force_login(commerce_staff_create())
    page = client.get(url).content.decode()
    assert "fromagerie, fromager, fromagère, crémerie, fromage" in page
    assert "Opinel n°8" not in [p.title for p in selectors.products_search(query="canif")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"groups": page_groups(page) + "\ncanif, couteau"})
    assert response.status_code == 302
    assert "Opinel n°8" in [p.title for p in selectors.products_search(query="canif")]


def test_a_group_of_one_word_is_refused_and_nothing_changes(client, db):
    from catalog.search.words import synonym_groups
    from tests.factories import commerce_staff_create

    client.force_login(commerce_staff_create())
    before = synonym_groups()
    response = client.post(reverse("space:search-words"), {"groups": "pain, baguette\nseul"})
    assert response.status_code == 200
    assert "Ligne 2 : un groupe compte au moins deux mots" in response.content.decode()
    assert synonym_groups() == before


def page_groups(html: str) -> str:
    """The textarea's current groups, as the staff would send them back."""
    import html as html_lib
    import re

    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    return html_lib.unescape(text).strip()


def test_an_empty_list_of_synonyms_is_refused(client, db):
    from catalog.search.words import synonym_groups
    from tests.factories import commerce_staff_create

    client.force_login(commerce_staff_create())
    before = synonym_groups()
    response = client.post(reverse("space:search-words"), {"groups": "  "})
    assert response.status_code == 200 and "Gardez au moins un groupe" in response.content.decode()
    assert synonym_groups() == before and before
