"""Product cards are rendered once and kept (catalog/templatetags/product_cards.py): the same
for every visitor, never stale, and a page still works when the cache cannot be reached."""

import re
from decimal import Decimal

import pytest

from catalog.services import product_search_refresh
from tests.factories import ShopFactory, StockRecordFactory, product_offered

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def card_of(html: str, title: str) -> str:
    """The <article> card whose title is `title`."""
    for card in re.findall(r'<article class="dx-card">.*?</article>', html, re.S):
        if f">{title}</a>" in card:
            return card
    raise AssertionError(f"no card for {title!r}")


@pytest.fixture
def jam(db):
    shop = ShopFactory(name="Épicerie Martin")
    product = product_offered(title="Confiture de myrtilles", shop=shop, price="4.20")
    product_search_refresh()
    return product


def test_a_card_is_the_same_for_everyone_and_holds_no_form_token(client, jam, django_user_model):
    anonymous = client.get("/catalogue/").content.decode()
    user = django_user_model.objects.create_user(
        username="lea", email="lea@example.org", password="pw-Lea-2026!"
    )
    client.force_login(user)
    signed_in = client.get("/catalogue/").content.decode()
    card = card_of(anonymous, jam.title)
    assert card == card_of(signed_in, jam.title)
    assert "csrfmiddlewaretoken" not in card
    assert 'form="dx-basket-add"' in card and f'formaction="/basket/add/{jam.pk}/"' in card


def test_the_cards_button_puts_the_product_in_the_basket(client, jam):
    page = client.get("/catalogue/").content.decode()
    form = re.search(r'<form id="dx-basket-add" method="post" hidden>(.*?)</form>', page, re.S)
    assert form, "the page's basket form"
    action = re.search(r'formaction="([^"]+)"', card_of(page, jam.title))[1]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form[1]))
    assert set(fields) == {"csrfmiddlewaretoken", "quantity"}
    response = client.post(action, fields)
    assert response.status_code == 302
    basket = client.get("/basket/")
    assert [line.product for line in basket.context["basket"].all_lines()] == [jam]


def test_the_cards_button_without_the_pages_token_is_refused_and_adds_nothing(jam):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.get("/catalogue/")
    response = strict.post(f"/basket/add/{jam.pk}/", {"quantity": "1"})
    assert response.status_code == 403
    assert strict.get("/basket/").context["basket"].num_lines == 0


@pytest.mark.parametrize(
    "change, shown",
    [
        ("price", "7,90"),
        ("stock", "Indisponible"),
        ("shop name", "Chez Martin et fils"),
        ("title", "Confiture de myrtilles sauvages"),
        ("second shop", "Chez 2 boutiques"),
    ],
)
def test_a_change_shows_at_once_on_a_cached_card(client, jam, change, shown):
    before = client.get("/catalogue/").content.decode()
    assert shown not in before
    offer = jam.stockrecords.get()
    if change == "price":
        offer.price = Decimal("7.90")
        offer.save()
    elif change == "stock":
        offer.num_in_stock = 0
        offer.save()
    elif change == "shop name":
        offer.partner.name = "Chez Martin et fils"
        offer.partner.save()
    elif change == "title":
        jam.title = "Confiture de myrtilles sauvages"
        jam.save()
    else:
        StockRecordFactory(product=jam, partner=ShopFactory(), price=Decimal("4.60"))
    after = client.get("/catalogue/").content.decode()
    assert shown in after


def test_cards_are_read_from_the_cache_once_rendered(client, jam, monkeypatch):
    from catalog import cache as list_cache

    client.get("/catalogue/")
    reads, real = [], list_cache.cache_get_many

    def spying(keys):
        found = real(keys)
        if any(":fragment:product:" in key for key in keys):
            reads.append((len(keys), len(found)))
        return found

    monkeypatch.setattr(list_cache, "cache_get_many", spying)
    assert jam.title in client.get("/catalogue/").content.decode()
    assert reads == [(1, 1)]  # one read for the list, its card found


def test_a_page_is_served_when_the_cache_cannot_be_reached(client, jam, cache_unreachable):
    """Redis down (nothing listens on port 1): slower pages, never an error page."""
    response = client.get("/catalogue/")
    assert response.status_code == 200
    assert jam.title in response.content.decode()


def test_a_shop_card_of_the_directory_shows_a_change_at_once(client, jam):
    shop = jam.stockrecords.get().partner
    assert "Épicerie Martin" in client.get("/boutiques/").content.decode()
    shop.name = "Épicerie Martin et fils"
    shop.save()
    assert "Épicerie Martin et fils" in client.get("/boutiques/").content.decode()
    product_offered(title="Miel de lavande", shop=shop)
    assert "2 produits en vente" in client.get("/boutiques/").content.decode()


def test_the_directory_says_once_what_the_basket_lacks_for_a_delivery(client):
    from django.urls import reverse

    from tests.checkout import zone_create

    zone_create(postcodes=("73100",), fee="3.90", minimum="10.00")
    shops = [ShopFactory(name=f"Crèmerie {n}", offers_delivery=True) for n in range(3)]
    cheese = product_offered(title="Tomme", shop=shops[0], price="5.80")
    client.post(reverse("basket:add", kwargs={"pk": cheese.pk}), {"quantity": 1})
    html = client.get("/boutiques/").content.decode()
    assert html.count("data-delivery-missing") == 1
    assert "5,80 € d'articles livrables, il manque 4,20 €" in html
