"""The shop directory and the storefronts, as a resident browses them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.services import product_search_refresh
from tests.factories import (
    ClosingPeriodFactory,
    ShopFactory,
    category_create,
    commerce_staff_create,
    product_offered,
    week_hours,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def next_tuesday_10h() -> datetime.datetime:
    """The next Tuesday at 10:00 in the town, computed from the (possibly travelled) clock:
    never a calendar date written here, which would one day be past."""
    today = datetime.datetime.now(PARIS).date()
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    return datetime.datetime.combine(tuesday, datetime.time(10), tzinfo=PARIS)


@pytest.fixture
def frozen_now(time_machine):
    moment = next_tuesday_10h()
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def town():
    cheese = category_create("Fromages")
    wine = category_create("Vins")
    fromagerie = ShopFactory(
        name="Fromagerie du Lac",
        trade="fromagerie",
        description="Affineur depuis 1962.",
        address_line="3 place du Marché",
        postcode="74000",
        city="Annecy",
        latitude="45.899247",
        longitude="6.129384",
        phone="04 50 00 00 00",
        email="lac@example.fr",
        offers_delivery=True,
    )
    week_hours(fromagerie)
    ClosingPeriodFactory(
        shop=fromagerie,
        # Two weeks about two months ahead of the frozen Tuesday: an upcoming closure.
        starts_on=next_tuesday_10h().date() + datetime.timedelta(days=59),
        ends_on=next_tuesday_10h().date() + datetime.timedelta(days=73),
        reason="congés d'été",
    )
    epicerie = ShopFactory(name="Épicerie Sophie", trade="epicerie", offers_click_collect=False)
    suspended = ShopFactory(name="Cave suspendue", trade="caviste", status="suspended")
    for title, price in (("Comté 18 mois", "6.90"), ("Beaufort", "8.10"), ("Reblochon", "7.50")):
        product_offered(title=title, shop=fromagerie, price=price, category=cheese)
    product_offered(title="Vin de Savoie", shop=fromagerie, price="9.00", category=wine)
    product_offered(title="Confiture d'abricot", shop=epicerie, price="4.20")
    product_offered(title="Vin suspendu", shop=suspended, category=wine)
    product_search_refresh()
    return {"fromagerie": fromagerie, "epicerie": epicerie, "suspended": suspended}


def storefront(shop) -> str:
    return reverse("shops:storefront", kwargs={"slug": shop.code})


def shown(response) -> list[str]:
    """The shops listed, sorted here: "É" sorts after "F" on SQLite but not on PostgreSQL."""
    return sorted(shop.name for shop in response.context["shops"])


def test_directory_lists_live_shops_with_status_and_product_count(client, town, frozen_now):
    response = client.get("/boutiques/")
    assert response.status_code == 200
    assert shown(response) == ["Fromagerie du Lac", "Épicerie Sophie"]
    html = response.content.decode()
    assert "Cave suspendue" not in html
    assert "Ouvert jusqu&#x27;à 12 h" in html and "Horaires non communiqués" in html
    assert "4 produits en vente" in html and "1 produit en vente" in html
    assert f'href="{storefront(town["fromagerie"])}"' in html
    assert (
        '<span class="dx-logo dx-logo--initials dx-trade--epicerie" aria-hidden="true">ÉS</span>'
        in html
    )


def test_directory_filters(client, town, frozen_now):
    assert shown(client.get("/boutiques/?trade=fromagerie")) == ["Fromagerie du Lac"]
    assert shown(client.get("/boutiques/?open_now=on")) == ["Fromagerie du Lac"]
    assert shown(client.get("/boutiques/?delivery=on")) == ["Fromagerie du Lac"]
    assert shown(client.get("/boutiques/?click_collect=on")) == ["Fromagerie du Lac"]
    assert shown(client.get("/boutiques/?q=epicerie")) == ["Épicerie Sophie"]
    assert shown(client.get("/boutiques/?trade=nope&q=")) == [
        "Fromagerie du Lac",
        "Épicerie Sophie",
    ]


def test_directory_empty_state_offers_to_clear_the_filters(client, town, frozen_now):
    html = client.get("/boutiques/?q=quincaillerie").content.decode()
    assert "Aucune boutique ne correspond" in html
    assert "Voir toutes les boutiques" in html


def test_directory_form_is_labelled_and_grouped(client, town):
    html = client.get("/boutiques/").content.decode()
    assert '<form class="dx-shopfilter" method="get"' in html
    assert "<fieldset" in html and "<legend" in html
    for field in ("id_q", "id_trade", "id_open_now", "id_click_collect", "id_delivery"):
        assert f'for="{field}"' in html


def test_directory_paginates(client, town, settings):
    settings.DIGITAIX_SHOPS_PER_PAGE = 1
    pages = shown(client.get("/boutiques/")) + shown(client.get("/boutiques/?page=2"))
    assert sorted(pages) == ["Fromagerie du Lac", "Épicerie Sophie"]
    assert client.get("/boutiques/?page=9")["Location"] == "/boutiques/"


def test_storefront_shows_profile_hours_and_only_its_products(client, town, frozen_now):
    response = client.get(storefront(town["fromagerie"]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Fromagerie du Lac", "Affineur depuis 1962.", "3 place du Marché", "74000 Annecy"):
        assert text in html
    assert "https://www.openstreetmap.org/?mlat=45.899247&amp;mlon=6.129384" in html
    assert 'href="tel:0450000000"' in html and 'href="mailto:lac@example.fr"' in html
    assert '<tr class="dx-hours__today">' in html and "Mardi" in html
    assert "9 h – 12 h" in html and "14 h – 19 h" in html
    assert "congés d&#x27;été" in html
    assert "Livraison" in html and "Ouvert jusqu&#x27;à 12 h" in html
    titles = {p.title for p in response.context["products"]}
    assert titles == {"Comté 18 mois", "Beaufort", "Reblochon", "Vin de Savoie"}
    assert [f.label for f in response.context["category_facets"]] == ["Fromages", "Vins"]


def test_storefront_search_category_sort_and_pagination(client, town, settings):
    url = storefront(town["fromagerie"])
    assert [p.title for p in client.get(url + "?q=comte").context["products"]] == ["Comté 18 mois"]
    assert [p.title for p in client.get(url + "?q=confiture").context["products"]] == []
    cheese = client.get(url).context["category_facets"][0].key
    by_price = client.get(f"{url}?category={cheese}&sort_by=price-desc").context["products"]
    assert [p.title for p in by_price] == ["Beaufort", "Reblochon", "Comté 18 mois"]
    settings.OSCAR_PRODUCTS_PER_PAGE = 2
    page2 = client.get(url + "?sort_by=title&page=2").context["products"]
    assert [p.title for p in page2] == ["Reblochon", "Vin de Savoie"]


def test_storefront_of_a_shop_not_live_is_404_except_for_staff(client, town):
    url = storefront(town["suspended"])
    assert client.get(url).status_code == 404
    assert client.get("/boutiques/nowhere/").status_code == 404
    clerk = get_user_model().objects.create_user("s", "s@example.fr", "pw", is_staff=True)
    client.force_login(clerk)  # is_staff alone is no role
    assert client.get(url).status_code == 404
    client.force_login(commerce_staff_create())
    assert client.get(url).status_code == 200


def test_suspended_shop_products_are_listed_nowhere(client, town):
    for url in ("/boutiques/", "/catalogue/", "/search/?q=vin", storefront(town["fromagerie"])):
        assert "Vin suspendu" not in client.get(url).content.decode(), url


def test_links_lead_to_storefronts(client, town):
    url = storefront(town["epicerie"])
    for page in ("/", "/catalogue/"):
        html = client.get(page).content.decode()
        assert f'href="{url}"' in html, page
        assert 'href="/boutiques/"' in html, page
    product = town["epicerie"].stockrecords.get().product
    assert f'href="{url}"' in client.get(product.get_absolute_url()).content.decode()


def test_the_header_search_box_is_not_filled_with_a_shop_search(client, town):
    for url in ("/boutiques/?q=sophie", storefront(town["fromagerie"]) + "?q=comte"):
        assert client.get(url).context["search_form"]["q"].value() in (None, ""), url
