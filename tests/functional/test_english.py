"""The site in English: our French msgids are translated by locale/en (compiled django.mo)."""

import pytest

from catalog.services import product_search_refresh
from tests.factories import ShopFactory, category_create, product_offered

pytestmark = pytest.mark.django_db

# (French source, English translation) of key strings of the home page and the catalogue.
HOME = [
    ("Voir tous les produits", "See all products"),
    ("Comment ça marche", "How it works"),
    ("Retirez en boutique", "Pick up in store"),
    ("Livraison à domicile dans la ville", "Home delivery in town"),
]
CATALOGUE = [
    ("Tous les produits", "All products"),
    ("Trier par", "Sort by"),
    ("Prix croissant", "Price: low to high"),
    ("Affiner", "Refine"),
]


@pytest.fixture
def town():
    cheese = category_create("Fromages")
    books = category_create("Livres")
    product_offered(
        title="Comté 18 mois", shop=ShopFactory(name="Fromagerie du Lac"), category=cheese
    )
    product_offered(title="Roman du lac", shop=ShopFactory(name="Librairie"), category=books)
    product_search_refresh()


@pytest.fixture
def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_home_in_english_after_switching(english, town):
    response = english.get("/")
    html = response.content.decode()
    assert '<html lang="en"' in html
    town_name = response.context["shop_name"]
    assert f"The shops of {town_name}, online" in html
    assert f"Les commerces de {town_name}" not in html
    assert "What are you looking for?" in html and "Que cherchez-vous" not in html
    assert "<strong>2</strong> products" in html and "<strong>2</strong> shops" in html
    for french, english_text in HOME:
        assert english_text in html, english_text
        assert french not in html, french


def test_catalogue_in_english_after_switching(english, town):
    html = english.get("/catalogue/").content.decode()
    assert '<html lang="en"' in html
    assert "2 products" in html and "2 produits" not in html
    for french, english_text in CATALOGUE:
        assert english_text in html, english_text
        assert french not in html, french


def test_french_without_a_language_cookie(client, town):
    home = client.get("/").content.decode()
    assert '<html lang="fr"' in home
    town_name = client.get("/").context["shop_name"]
    assert f"Les commerces de {town_name}, en ligne" in home
    for french, english_text in HOME:
        assert french in home, french
        assert english_text not in home, english_text
    catalogue = client.get("/catalogue/").content.decode()
    assert '<html lang="fr"' in catalogue
    for french, english_text in CATALOGUE:
        assert french in catalogue, french
        assert english_text not in catalogue, english_text


def test_an_english_browser_alone_still_gets_french(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="fr"' in html
