"""The spaces' entrances: where each role lands after signing in, the merchant's home, and
the old dashboard addresses (bookmarks, e-mails already sent) leading to the new ones."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import ShopFactory, commerce_staff_create, merchant_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return ShopFactory(name="Fromagerie du Lac", code="fromagerie-du-lac")


def test_each_role_lands_in_its_own_space(client, shop):
    landing = reverse("space:landing")
    assert client.get(landing).url == reverse("home")  # signed out: the public site
    client.force_login(get_user_model().objects.create_user("r", "r@example.fr", "x"))
    assert client.get(landing).url == reverse("home")  # a resident
    client.force_login(merchant_create(shop))
    assert client.get(landing).url == reverse("space:merchant-home")
    client.force_login(commerce_staff_create())
    assert client.get(landing).url == reverse("space:staff-home")
    client.force_login(get_user_model().objects.create_superuser("a", "a@example.fr", "x"))
    assert client.get(landing).url == reverse("dashboard:index")


def test_signing_in_without_next_lands_a_merchant_on_their_shops_day(client, shop):
    merchant_create(shop, email="elise@example.fr", password="fromage-de-savoie-42")
    response = client.post(
        reverse("customer:login"),
        {
            "login-username": "elise@example.fr",
            "login-password": "fromage-de-savoie-42",
            "login_submit": "1",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("space:today", args=[shop.code])
    assert "digitaix/space/merchant_today.html" in [t.name for t in response.templates]


def test_a_merchant_without_a_shop_is_offered_to_register_one(client):
    client.force_login(merchant_create())
    page = client.get(reverse("space:merchant-home"))
    assert page.status_code == 200
    assert reverse("merchant:shop-create") in page.content.decode()


def test_a_shop_code_chosen_on_the_merchant_home_must_be_one_of_theirs(client, shop):
    other = ShopFactory(name="Cave du Lac")
    second = ShopFactory(name="Bazar du Lac")
    client.force_login(merchant_create(shop, second))
    chosen = client.get(reverse("space:merchant-home"), {"boutique": second.code})
    assert chosen.url == reverse("space:today", args=[second.code])
    refused = client.get(reverse("space:merchant-home"), {"boutique": other.code})
    assert refused.status_code == 200 and other.name not in refused.content.decode()
    assert client.get(reverse("space:today", args=[other.code])).status_code == 404


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/dashboard/boutique/fromagerie-du-lac/profil/", "/ma-boutique/fromagerie-du-lac/profil/"),
        (
            "/dashboard/boutique/fromagerie-du-lac/horaires/",
            "/ma-boutique/fromagerie-du-lac/horaires/",
        ),
        ("/dashboard/moderation/", "/gestion/moderation/"),
        (
            "/dashboard/moderation/produits/?etat=withdrawn",
            "/gestion/moderation/produits/?etat=withdrawn",
        ),
        ("/dashboard/moderation/commandes/", "/gestion/commandes/"),
        ("/dashboard/livraison/", "/gestion/livraison/"),
        ("/dashboard/portail/", "/gestion/chiffres/"),
        ("/dashboard/avis/", "/moderation-avis/"),
    ],
)
def test_old_dashboard_addresses_lead_to_the_same_screen(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response.url == new


def test_old_addresses_redirect_whoever_asks_and_the_new_screen_decides(client, shop):
    """A redirect reveals nothing: the new address still checks who may open it."""
    other = ShopFactory(name="Cave du Lac", code="cave-du-lac")
    client.force_login(merchant_create(shop))
    response = client.get(f"/dashboard/boutique/{other.code}/profil/", follow=True)
    assert response.status_code == 404


def test_the_spaces_pages_carry_no_bootstrap_and_one_menu(client, shop):
    # One menu, and the footer's legal links (a second, labelled navigation).
    client.force_login(merchant_create(shop))
    html = client.get(reverse("space:today", args=[shop.code])).content.decode()
    assert "bootstrap" not in html and "oscar/css/styles.css" not in html
    assert html.count("<nav") == 2 and html.count('class="dx-space-nav"') == 1
    assert 'id="main"' in html and 'href="#main"' in html and 'id="dx-footer-legal"' in html
    client.force_login(commerce_staff_create())
    html = client.get(reverse("space:staff-home")).content.decode()
    assert "bootstrap" not in html and html.count("<nav") == 2 and 'id="main"' in html
