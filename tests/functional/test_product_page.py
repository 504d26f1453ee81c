"""The product page without Oscar's leftovers (issue 15, §4): price, shop and "Ajouter au
panier" before the reviews; stock said as a shop would ("En stock", "Plus que 2", "Épuisé"),
never the shop's stock count; no product type."""

import pytest
from oscar.core.loading import get_model

from tests.factories import ShopFactory, product_offered

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


def page(client, product) -> str:
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("stock", "said"), [(58, "En stock"), (3, "Plus que 3"), (1, "Plus que 1")]
)
def test_stock_is_said_as_a_shop_would(client, stock, said):
    product = product_offered(title="Tomme de Savoie", shop=ShopFactory(name="Fromagerie"))
    StockRecord.objects.filter(product=product).update(num_in_stock=stock)

    html = page(client, product)

    assert said in html
    assert "disponible(s)" not in html and f"({stock}" not in html


def test_the_basket_button_comes_before_the_reviews_and_no_product_type_is_shown(client):
    from django.contrib.auth import get_user_model

    product = product_offered(title="Tomme de Savoie", shop=ShopFactory(name="Fromagerie"))
    client.force_login(get_user_model().objects.create_user("c", "c@example.fr", "x"))

    html = page(client, product)

    assert 'id="write_review"' in html  # a resident may review it...
    assert html.index("Ajouter au panier") < html.index('id="write_review"')  # ...after buying
    assert "Type de produit" not in html


def test_the_residents_account_offers_only_what_works_here(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    client.force_login(get_user_model().objects.create_user("c", "c@example.fr", "x"))
    html = client.get(reverse("customer:profile-view")).content.decode()

    for gone in ("Historique e-mail", "Alertes produit", "Listes d'envies", "Wish Lists"):
        assert gone not in html
    assert "Mes commandes" in html and "Mes adresses" in html
    product = product_offered(title="Tomme", shop=ShopFactory(name="Fromagerie"))
    assert "wishlist" not in page(client, product)
    assert reverse("customer:wishlists-list") not in html


def test_a_form_with_errors_says_so_in_plain_french(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    client.force_login(get_user_model().objects.create_user("c", "c@example.fr", "x"))
    response = client.post(reverse("customer:profile-update"), {"email": "pas-un-e-mail"})

    html = response.content.decode()
    assert "Le formulaire contient" in html and "corrigez" in html
    assert "Oups" not in html and "Oops" not in html


def test_the_category_menu_never_offers_an_empty_category(client):
    from tests.factories import category_create

    cheeses, garden = category_create("Fromages"), category_create("Maison & jardin")
    product_offered(title="Tomme", shop=ShopFactory(name="Fromagerie"), category=cheeses)

    html = client.get("/").content.decode()
    menu = html.split('class="dx-catnav"')[1].split("</nav>")[0]

    assert cheeses.name in menu and garden.name not in menu


def test_counts_agree_with_their_noun(client):
    from tests.factories import category_create

    cheeses = category_create("Fromages")
    product_offered(title="Tomme", shop=ShopFactory(name="Fromagerie"), category=cheeses)

    html = client.get("/").content.decode()

    assert '1<span class="sr-only"> produit</span>' in html
    assert '1<span class="sr-only"> produits' not in html
