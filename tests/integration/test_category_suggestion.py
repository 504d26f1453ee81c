"""The category a merchant's new product is suggested, from its title: the words of the title
against category names, and the categories of existing products with similar titles."""

import pytest

from catalog.selectors import categories_labelled, categories_matching, category_suggest
from catalog.services import product_search_refresh
from tests.factories import category_create, product_offered

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    bakery = category_create("Boulangerie")
    dairy = category_create("Crèmerie")
    return {
        "bakery": bakery,
        "dairy": dairy,
        "breads": category_create("Pains", parent=bakery),
        "pastries": category_create("Viennoiseries", parent=bakery),
        "cheeses": category_create("Fromages", parent=dairy),
        "grocery": category_create("Épicerie"),
    }


def test_labels_name_the_whole_path_in_tree_order(tree):
    assert [c.label for c in categories_labelled()] == [
        "Boulangerie",
        "Boulangerie › Pains",
        "Boulangerie › Viennoiseries",
        "Crèmerie",
        "Crèmerie › Fromages",
        "Épicerie",
    ]


def test_a_word_of_the_title_in_a_category_name_wins(tree):
    assert category_suggest(title="Pains de campagne 500 g").pk == tree["breads"].pk
    assert category_suggest(title="FROMAGES de chèvre").pk == tree["cheeses"].pk


def test_similar_products_vote_for_their_categories(tree):
    for title in ("Croissant au beurre", "Croissant aux amandes", "Pain au chocolat"):
        product_offered(title=title, category=tree["pastries"])
    product_offered(title="Beurre doux", category=tree["cheeses"])
    product_search_refresh()
    assert category_suggest(title="Croissant nature").pk == tree["pastries"].pk


def test_no_suggestion_without_a_meaningful_word(tree):
    assert category_suggest(title="") is None
    assert category_suggest(title="Lot de 6 x 250 g") is None
    assert category_suggest(title="Parapluie") is None


def test_accents_and_case_do_not_matter(tree):
    assert category_suggest(title="epicerie fine").pk == tree["grocery"].pk
    matches = categories_matching(query="CREM")
    assert [c.pk for c in matches] == [tree["dairy"].pk, tree["cheeses"].pk]


def test_hidden_categories_are_never_offered(tree):
    hidden = category_create("Réserve")
    hidden.is_public = False
    hidden.save()
    assert "Réserve" not in [c.label for c in categories_labelled()]
    assert category_suggest(title="Réserve spéciale") is None
