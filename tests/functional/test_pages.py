"""The public pages, driven through Django's test client as a resident would."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.services import product_search_refresh
from tests.checkout import basket_fill, checkout_to_preview, order_place, zone_create
from tests.factories import (
    ProductImageFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    commerce_staff_create,
    product_offered,
)

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


@pytest.fixture
def town():
    food = category_create("Alimentation")
    cheese = category_create("Fromages", parent=food)
    books = category_create("Livres")
    fromagerie = ShopFactory(name="Fromagerie du Lac", trade="fromagerie")
    librairie = ShopFactory(name="Librairie des Arcades", trade="librairie")
    comte = product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90", category=cheese)
    StockRecordFactory(product=comte, partner=ShopFactory(name="Épicerie Centrale"), price="7.20")
    ProductImageFactory(product=comte)
    novel = product_offered(title="Roman du lac", shop=librairie, price="19.00", category=books)
    product_search_refresh()
    return {"comte": comte, "novel": novel, "cheese": cheese, "fromagerie": fromagerie}


def test_home_presents_the_portal_in_french(client, town):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert response.context["counters"] == {"shops": 3, "products": 2}
    for name in ("Fromagerie du Lac", "Librairie des Arcades", "Comté 18 mois", "Alimentation"):
        assert name in html


def test_home_lists_the_towns_shops_as_cards_linking_to_their_storefronts(client, town):
    """The home shows the town's shops, not only its products: name, trade and town,
    and a link to the storefront whose accessible name says which shop it opens."""
    fromagerie = town["fromagerie"]
    fromagerie.city = "Aix-les-Bains"
    fromagerie.save(update_fields=["city"])
    response = client.get("/")
    assert fromagerie in response.context["featured_shops"]
    html = response.content.decode()
    section = html.split('aria-labelledby="dx-home-shops"', 1)[1].split("</section>", 1)[0]
    assert "Fromagerie du Lac" in section and "Librairie des Arcades" in section
    assert "Fromagerie, Aix-les-Bains" in section
    storefront = reverse("shops:storefront", kwargs={"slug": fromagerie.code})
    assert f'href="{storefront}"' in section
    assert '<span class="sr-only"> (Fromagerie du Lac)</span>' in section
    assert 'href="/boutiques/"' in section, "and a link to every shop"


def test_pages_load_no_asset_from_another_site(client, town):
    for url in ("/", "/catalogue/", town["comte"].get_absolute_url(), "/basket/"):
        html = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert external == [], (url, external)


def test_catalogue_lists_products_with_their_shop(client, town):
    response = client.get("/catalogue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Comté 18 mois" in html and "Roman du lac" in html
    assert "Librairie des Arcades" in html


def test_catalogue_paginates_and_recovers_from_a_bad_page(client, town, settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 1
    first = client.get("/catalogue/?sort_by=title")
    assert [p.title for p in first.context["products"]] == ["Comté 18 mois"]
    second = client.get("/catalogue/?sort_by=title&page=2")
    assert [p.title for p in second.context["products"]] == ["Roman du lac"]
    wrong = client.get("/catalogue/?sort_by=title&page=99")
    assert wrong.status_code == 302
    assert wrong["Location"] == "/catalogue/?sort_by=title"
    assert "n&#x27;existe pas" in client.get(wrong["Location"]).content.decode()


def test_bad_filter_values_are_ignored_not_errors(client, town):
    response = client.get("/catalogue/?sort_by=nope&shop=abc&category=-3")
    assert response.status_code == 200
    assert len(response.context["products"]) == 2


def test_category_page_lists_its_descendants_products(client, town):
    food = town["cheese"].get_parent()
    response = client.get(food.get_absolute_url())
    assert response.status_code == 200
    assert [p.title for p in response.context["products"]] == ["Comté 18 mois"]
    moved = client.get(f"/catalogue/category/wrong-slug_{food.pk}/")
    assert moved.status_code == 301 and moved["Location"] == food.get_absolute_url()
    assert client.get("/catalogue/category/nothing_999999/").status_code == 404


def test_shop_facet_filters_the_catalogue(client, town):
    shop = town["fromagerie"]
    response = client.get(f"/catalogue/?shop={shop.pk}")
    assert [p.title for p in response.context["products"]] == ["Comté 18 mois"]
    labels = [f.label for f in response.context["shop_facets"]]
    assert "Fromagerie du Lac" in labels


def test_search_page_finds_and_says_when_nothing_matches(client, town):
    response = client.get("/search/?q=comte")
    assert [p.title for p in response.context["products"]] == ["Comté 18 mois"]
    empty = client.get("/search/?q=xylophone")
    assert empty.status_code == 200
    assert list(empty.context["products"]) == []
    assert "xylophone" in empty.content.decode()


def test_product_page_names_every_shop_selling_it(client, town):
    response = client.get(town["comte"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fromagerie du Lac" in html and "Épicerie Centrale" in html
    single = client.get(town["novel"].get_absolute_url()).content.decode()
    assert "Librairie des Arcades" in single


def test_basket_takes_a_product_and_shows_it(client, town):
    comte = town["comte"]
    response = client.post(
        reverse("basket:add", kwargs={"pk": comte.pk}), {"quantity": 2}, follow=True
    )
    assert response.status_code == 200
    basket = client.get("/basket/")
    assert basket.status_code == 200
    assert "Comté 18 mois" in basket.content.decode()
    assert basket.context["basket"].num_items == 2


def test_checkout_pages_place_a_delivered_order(client, town):
    user = get_user_model().objects.create_user(
        "habitant", "habitant@example.fr", "mot-de-passe-solide"
    )
    client.force_login(user)
    librairie = town["novel"].stockrecords.get().partner
    librairie.offers_delivery = True
    librairie.save()
    zone_create(fee="3.50", minimum="10.00")
    basket_fill(client, town["novel"], quantity=1)
    assert client.get("/checkout/")["Location"] == "/checkout/shipping-method/"

    preview = checkout_to_preview(client, modes={librairie.pk: "delivery"})
    placed = order_place(client, preview)

    assert placed.status_code == 302 and placed["Location"].endswith("/checkout/thank-you/")
    assert client.get("/checkout/thank-you/").status_code == 200
    order = Order.objects.get()
    assert order.total_incl_tax == Decimal("22.50") and order.currency == "EUR"
    assert order.shipping_incl_tax == Decimal("3.50")
    assert order.shipping_address.postcode == "73100"


def test_language_switch_serves_english(client, town):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()


def test_staff_dashboard_still_renders_on_our_base_template(client, town):
    staff = commerce_staff_create(email="mairie@example.fr")
    client.force_login(staff)
    response = client.get("/dashboard/", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == "/gestion/"
    html = response.content.decode()
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', html) == []


def test_category_page_ignores_a_chosen_category_outside_itself(client, town):
    food = town["cheese"].get_parent()
    books = town["novel"].categories.get()
    response = client.get(f"{food.get_absolute_url()}?category={books.pk}")
    assert [p.title for p in response.context["products"]] == ["Comté 18 mois"]
    narrowed = client.get(f"{food.get_absolute_url()}?category={town['cheese'].pk}")
    assert [p.title for p in narrowed.context["products"]] == ["Comté 18 mois"]
