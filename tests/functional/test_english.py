"""The site in English: our French msgids are translated by locale/en (compiled django.mo)."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.services import product_search_refresh
from tests.checkout import basket_fill, checkout, zone_create
from tests.factories import (
    ClosingPeriodFactory,
    ShopFactory,
    category_create,
    merchant_create,
    product_offered,
    week_hours,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _next_tuesday_at_10() -> datetime.datetime:
    """Next week's Tuesday, 10 h in Paris: a moment computed from today, frozen by the tests."""
    today = datetime.datetime.now(PARIS).date()
    tuesday = today + datetime.timedelta(days=7 + (1 - today.weekday()) % 7)
    return datetime.datetime.combine(tuesday, datetime.time(10), tzinfo=PARIS)


TUESDAY_10H = _next_tuesday_at_10()
SATURDAY_20H = (TUESDAY_10H + datetime.timedelta(days=4)).replace(hour=20)

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
# The shop directory: its heading, its filter form and the opening status of its cards.
DIRECTORY = [
    ("Les boutiques", "The shops"),
    ("Nom de la boutique", "Shop name"),
    ("Tous les métiers", "All trades"),
    ("Ouvert maintenant", "Open now"),
    ("Retrait en boutique", "In-store pickup"),
    ("Livraison à domicile", "Home delivery"),
    ("Services et horaires", "Services and hours"),
    ("Horaires non communiqués", "Hours not provided"),
    ("2 boutiques", "2 shops"),
]
# A storefront's practical information; its week runs Monday to Saturday, so Sunday is closed.
STOREFRONT = [
    ("Infos pratiques", "Practical information"),
    ("Fermetures à venir", "Upcoming closures"),
    ("Ses produits", "Products"),
    ("Lundi", "Monday"),
    ("Mardi", "Tuesday"),
    ("Samedi", "Saturday"),
    ("Dimanche", "Sunday"),
    ("Fermé", "<td>Closed</td>"),
]
# The checkout's fulfilment step: per shop, click & collect or delivery, and a time slot.
FULFILMENT = [
    ("Comment recevoir vos articles ?", "How would you like to receive your items?"),
    ("Retrait ou livraison", "Pickup or delivery"),
    ("Chaque boutique prépare sa partie de votre commande", "Each shop prepares its part"),
    ("Créneau de retrait", "Pickup slot"),
    ("Créneau de livraison", "Delivery slot"),
    ("Les frais de livraison dépendent de votre code postal", "The delivery fee depends on"),
]
# The merchant's shop-order list: its heading, filters and an order still to be paid on site.
SHOP_ORDERS = [
    ("Filtrer les commandes", "Filter orders"),
    ("À traiter", "To handle"),
    ("Tous les statuts", "All statuses"),
    ("Numéro, nom ou e-mail du client", "Number, customer name or email"),
    ("À encaisser", "Not yet paid"),
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
def shops():
    cheese = category_create("Fromages")
    fromagerie = ShopFactory(name="Fromagerie du Lac", trade="fromagerie")
    week_hours(fromagerie)
    ClosingPeriodFactory(
        shop=fromagerie, starts_on=TUESDAY_10H.date() + datetime.timedelta(days=60)
    )
    product_offered(title="Comté 18 mois", shop=fromagerie, category=cheese)
    ShopFactory(name="Librairie", trade="librairie")  # no hours given
    product_search_refresh()
    return fromagerie


@pytest.fixture
def basket_shops():
    """A cheese shop (click & collect only) and a bookshop that also delivers in the town."""
    fromagerie = ShopFactory(name="Fromagerie du Lac")
    librairie = ShopFactory(name="Librairie des Arcades", offers_delivery=True)
    for shop in (fromagerie, librairie):
        week_hours(shop)
    zone_create(postcodes=("73100",), fee="3.50", minimum="10.00")
    return {
        "fromagerie": fromagerie,
        "comte": product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90"),
        "novel": product_offered(title="Roman du lac", shop=librairie, price="19.00"),
    }


@pytest.fixture
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def frozen_at(time_machine, moment: datetime.datetime) -> None:
    time_machine.move_to(moment, tick=False)


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


def test_shop_directory_in_english_after_switching(english, shops, time_machine):
    frozen_at(time_machine, TUESDAY_10H)
    html = english.get("/boutiques/").content.decode()
    assert '<html lang="en"' in html
    assert "<h1>The shops</h1>" in html
    assert "Open until noon" in html and "Ouvert jusqu" not in html
    assert '<p class="dx-shopcard__trade">Bookstore</p>' in html
    for french, english_text in DIRECTORY:
        assert english_text in html, english_text
        assert french not in html, french


@pytest.mark.parametrize(
    ("moment", "today", "english_status", "french_status"),
    [
        (TUESDAY_10H, "Tuesday", "Open until noon", "Ouvert jusqu&#x27;à 12 h"),
        (TUESDAY_10H.replace(hour=13), "Tuesday", "Closed · opens at 2 p.m.", "ouvre à 14 h"),
        (SATURDAY_20H, "Saturday", "Closed · opens Monday at 9 a.m.", "ouvre lundi à 9 h"),
    ],
)
def test_storefront_in_english_after_switching(
    english, shops, time_machine, moment, today, english_status, french_status
):
    frozen_at(time_machine, moment)
    url = reverse("shops:storefront", kwargs={"slug": shops.code})
    html = english.get(url).content.decode()
    assert '<html lang="en"' in html
    assert english_status in html and french_status not in html
    assert f'<th scope="row">{today} <span class="dx-hours__tag">today</span></th>' in html
    assert "aujourd" not in html
    for french, english_text in STOREFRONT:
        assert english_text in html, english_text
        assert french not in html, french


@pytest.mark.usefixtures("_fast_passwords")
def test_checkout_fulfilment_in_english_after_switching(english, basket_shops):
    english.force_login(get_user_model().objects.create_user("camille", "c@example.fr", "x"))
    basket_fill(english, basket_shops["comte"], basket_shops["novel"])
    html = english.get(reverse("checkout:shipping-method")).content.decode()
    assert '<html lang="en"' in html
    assert re.search(r"\(\d+ spots?\)</option>", html) and " places)</option>" not in html
    for french, english_text in FULFILMENT:
        assert english_text in html, english_text
        assert french not in html, french


@pytest.mark.usefixtures("_fast_passwords")
def test_checkout_fulfilment_in_french_without_a_language_cookie(client, basket_shops):
    client.force_login(get_user_model().objects.create_user("camille", "c@example.fr", "x"))
    basket_fill(client, basket_shops["comte"], basket_shops["novel"])
    html = client.get(reverse("checkout:shipping-method")).content.decode()
    assert '<html lang="fr"' in html
    for french, english_text in FULFILMENT:
        assert french in html, french
        assert english_text not in html, english_text


@pytest.mark.usefixtures("_fast_passwords")
def test_merchant_shop_orders_in_english_after_switching(english, basket_shops):
    english.force_login(get_user_model().objects.create_user("camille", "c@example.fr", "x"))
    order = checkout(english, basket_shops["comte"])
    english.force_login(merchant_create(basket_shops["fromagerie"]))
    shop = basket_shops["fromagerie"]
    html = english.get(reverse("shop-orders:list", args=[shop.code])).content.decode()
    assert '<html lang="en"' in html
    assert f'data-shop-order="{order.shop_orders.get().number}"' in html
    assert '<th scope="col">Order</th>' in html and '<th scope="col">Fulfillment</th>' in html
    for french, english_text in SHOP_ORDERS:
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


@pytest.mark.usefixtures("_fast_passwords")
def test_courier_page_and_delivery_board_in_english_after_switching(english):
    from tests.delivery import courier
    from tests.factories import commerce_staff_create

    english.force_login(courier("anna@example.fr").user)
    html = english.get(reverse("courier:home")).content.decode()
    assert '<html lang="en"' in html
    assert (
        "Today&#x27;s rounds" in html.replace("'", "&#x27;") and "No round planned for you." in html
    )
    assert "Aucune tournée" not in html
    english.force_login(commerce_staff_create())
    board = english.get(reverse("delivery-board:index")).content.decode()
    assert "Delivery slots and rounds" in board and "The couriers" in board
    assert "Créneaux de livraison" not in board
    console = english.get(reverse("console:index")).content.decode()
    assert "The portal in figures" in console and "Le portail en chiffres" not in console


def test_a_pickup_stop_is_not_a_moderation_withdrawal_in_english():
    """« Retrait » is a withdrawal in moderation but a pickup on a round: its own context."""
    from pathlib import Path

    from django.utils import translation
    from django.utils.translation import pgettext

    template = Path("templates/digitaix/delivery/_stop_summary.html").read_text()
    assert '{% translate "Retrait" context "arrêt de tournée" %}' in template
    with translation.override("en"):
        assert pgettext("arrêt de tournée", "Retrait") == "Pickup"
