"""The merchant's shop-order pages and the resident's order pages, through real requests.

A merchant lists and opens only their own shops' shop orders and moves them along the
workflow from the page; bad or stale actions change nothing and say why; the resident sees
each shop's status on their order page, and nobody else's order.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from messaging.models import OutboxMessage
from messaging.services import message_send
from orders.models import ShopOrderEvent
from orders.services import shop_order_transition
from tests.checkout import checkout, zone_create
from tests.factories import ShopFactory, merchant_create, product_offered, week_hours

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


def list_url(shop) -> str:
    return reverse("shop-orders:list", kwargs={"slug": shop.code})


def detail_url(shop_order) -> str:
    kwargs = {"slug": shop_order.shop.code, "number": shop_order.number}
    return reverse("shop-orders:detail", kwargs=kwargs)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_shop(name, *, delivers=False):
    shop = ShopFactory(name=name, offers_delivery=delivers)
    week_hours(shop)
    return shop


@pytest.fixture
def town(client):
    """A resident's order from a cheese shop (collected) and a bookshop (delivered)."""
    fromagerie = open_shop("Fromagerie du Lac")
    librairie = open_shop("Librairie des Arcades", delivers=True)
    zone_create(postcodes=("73100",), fee="3.50", minimum="10.00")
    comte = product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90")
    novel = product_offered(title="Roman du lac", shop=librairie, price="19.00")
    cheesemonger = merchant_create(fromagerie, email="fromager@example.fr")
    bookseller = merchant_create(librairie, email="libraire@example.fr")
    resident = get_user_model().objects.create_user("camille", "camille@example.fr", "x")
    client.force_login(resident)
    order = checkout(client, comte, novel, modes={librairie.pk: "delivery"})
    cheese, books = order.shop_orders.order_by("number")
    client.logout()
    return {
        "order": order,
        "resident": resident,
        "cheese": cheese,
        "books": books,
        "comte": comte,
        "cheesemonger": cheesemonger,
        "bookseller": bookseller,
    }


def act(client, shop_order, action, *, seen=None, reason=""):
    data = {"action": action, "seen": seen or shop_order.status, "reason": reason}
    return client.post(detail_url(shop_order), data)


def test_a_merchant_lists_only_their_own_shop_orders(client, town):
    client.force_login(town["cheesemonger"])
    page = client.get(list_url(town["cheese"].shop))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-shop-order="{town["cheese"].number}"' in html
    assert town["books"].number not in html
    assert "Roman du lac" not in html


def test_a_merchant_cannot_open_another_shops_order(client, town):
    client.force_login(town["cheesemonger"])
    assert client.get(detail_url(town["books"])).status_code == 404
    assert act(client, town["books"], "accepted").status_code == 404
    town["books"].refresh_from_db()
    assert town["books"].status == "new"
    assert not ShopOrderEvent.objects.exists()


def test_residents_and_visitors_are_kept_out(client, town):
    list_page = list_url(town["cheese"].shop)
    assert client.get(list_page)["Location"].startswith(reverse("dashboard:login"))
    client.force_login(town["resident"])
    assert client.get(list_page).status_code == 403
    assert client.get(detail_url(town["cheese"])).status_code == 403


def test_the_detail_shows_own_lines_customer_slot_and_commission(client, town, settings):
    settings.DIGITAIX_COMMISSION_RATE = "0.05"
    client.force_login(town["bookseller"])
    html = client.get(detail_url(town["books"])).content.decode()
    assert "Roman du lac" in html and "Comté" not in html
    assert "06 12 34 56 78" in html and "3 rue du Casino" in html
    assert "Commission de la ville (5 %)" in html
    assert re.search(r"data-commission>\s*2,08", html)  # 5 % of 41,50 €
    assert 'data-action="accepted"' in html and 'data-action="refused"' in html


def test_the_merchant_moves_a_click_and_collect_order_to_collected(client, town):
    cheese = town["cheese"]
    client.force_login(town["cheesemonger"])
    for action in ("accepted", "ready", "collected"):
        cheese.refresh_from_db()
        response = act(client, cheese, action)
        assert response.status_code == 302 and response["Location"] == detail_url(cheese)
    cheese.refresh_from_db()
    assert cheese.status == "collected"
    events = ShopOrderEvent.objects.filter(shop_order=cheese)
    assert [e.to_status for e in events] == ["accepted", "ready", "collected"]
    assert {e.actor for e in events} == {town["cheesemonger"]}
    html = client.get(detail_url(cheese)).content.decode()
    assert "Plus rien à faire" not in html  # still payable on site
    assert 'data-action="paid"' in html


def test_a_refusal_needs_a_reason_and_gives_the_stock_back(client, town):
    cheese, offer = town["cheese"], StockRecord.objects.get(product=town["comte"])
    allocated = offer.num_allocated
    client.force_login(town["cheesemonger"])

    response = act(client, cheese, "refused", reason="  ")
    assert response.status_code == 400
    assert "Indiquez le motif" in response.content.decode()
    cheese.refresh_from_db()
    offer.refresh_from_db()
    assert cheese.status == "new" and offer.num_allocated == allocated

    assert act(client, cheese, "refused", reason="Plus de comté affiné").status_code == 302
    cheese.refresh_from_db()
    offer.refresh_from_db()
    assert (cheese.status, cheese.status_reason) == ("refused", "Plus de comté affiné")
    assert offer.num_allocated == allocated - 2


def test_a_stale_page_changes_nothing(client, town):
    cheese = town["cheese"]
    shop_order_transition(shop_order=cheese, to_status="accepted", by=town["cheesemonger"])
    client.force_login(town["cheesemonger"])
    # The page showed "new": the colleague's accept happened since; cancel is allowed from
    # "accepted" too, but the merchant decided on what they saw.
    response = act(client, cheese, "cancelled", seen="new", reason="Erreur")
    assert response.status_code == 400
    assert "entre-temps" in response.content.decode()
    cheese.refresh_from_db()
    assert cheese.status == "accepted"
    assert ShopOrderEvent.objects.filter(shop_order=cheese).count() == 1


@pytest.mark.parametrize("action", ["collected", "delivered", "handed_to_courier", "xyz", ""])
def test_an_action_the_status_does_not_allow_is_refused(client, town, action):
    client.force_login(town["cheesemonger"])
    response = act(client, town["cheese"], action)
    assert response.status_code == 400
    assert "Rien n&#x27;a été changé" in response.content.decode()
    town["cheese"].refresh_from_db()
    assert town["cheese"].status == "new"
    assert not ShopOrderEvent.objects.exists()


def test_a_delivery_order_leaves_the_shop_with_the_towns_courier(client, town):
    """The merchant prepares it; handing it over and delivering it are the courier's moves
    (delivery.rounds), never the merchant's."""
    books = town["books"]
    client.force_login(town["bookseller"])
    for action in ("accepted", "ready"):
        books.refresh_from_db()
        assert act(client, books, action).status_code == 302, action
    books.refresh_from_db()
    html = client.get(detail_url(books)).content.decode()
    assert 'data-action="handed_to_courier"' not in html and 'data-action="cancelled"' in html
    assert act(client, books, "handed_to_courier").status_code == 400
    books.refresh_from_db()
    assert books.status == "ready"


def test_the_merchant_records_an_on_site_payment_once(client, town):
    cheese = town["cheese"]
    client.force_login(town["cheesemonger"])
    assert act(client, cheese, "paid").status_code == 302
    cheese.refresh_from_db()
    assert cheese.is_paid and cheese.paid_at
    assert act(client, cheese, "paid").status_code == 400  # no longer offered
    assert ShopOrderEvent.objects.filter(shop_order=cheese).count() == 1


def test_the_list_filters_and_refuses_an_unknown_filter(client, town):
    cheese = town["cheese"]
    for status in ("accepted", "ready", "collected"):
        shop_order_transition(shop_order=cheese, to_status=status, by=town["cheesemonger"])
    client.force_login(town["cheesemonger"])
    list_page = list_url(cheese.shop)
    assert cheese.number not in client.get(list_page).content.decode()  # done: not to handle
    assert cheese.number in client.get(list_page, {"status": ""}).content.decode()
    assert cheese.number in client.get(list_page, {"status": "collected"}).content.decode()
    found = client.get(list_page, {"status": "", "q": cheese.number}).content.decode()
    assert cheese.number in found
    assert cheese.number not in client.get(list_page, {"status": "", "q": "zzz"}).content.decode()
    bad = client.get(list_page, {"status": "nope"})
    assert bad.status_code == 200
    assert "corrigez ce qui est signalé" in bad.content.decode()


def test_the_new_order_email_links_to_the_shop_order_page(town):
    message = OutboxMessage.objects.get(kind="shop_new_order", object_id=town["cheese"].pk)
    mail.outbox.clear()
    assert message_send(message_id=message.pk)
    (alert,) = mail.outbox
    assert detail_url(town["cheese"]) in alert.body


def test_the_resident_sees_each_shops_status(client, town):
    shop_order_transition(shop_order=town["cheese"], to_status="accepted", by=None)
    client.force_login(town["resident"])
    url = reverse("customer:order", kwargs={"order_number": town["order"].number})
    html = client.get(url).content.decode()
    for shop_order, status in ((town["cheese"], "accepted"), (town["books"], "new")):
        card = rf'data-shop-order="{shop_order.number}".*?data-status="{status}"'
        assert re.search(card, html, re.S), shop_order.number
    assert "En cours" in html
    history = client.get(reverse("customer:order-list")).content.decode()
    assert "Fromagerie du Lac" in history and "Acceptée" in history


def test_a_resident_cannot_open_another_residents_order(client, town):
    other = get_user_model().objects.create_user("louis", "louis@example.fr", "x")
    client.force_login(other)
    url = reverse("customer:order", kwargs={"order_number": town["order"].number})
    assert client.get(url).status_code == 404
    assert town["order"].number not in client.get(reverse("customer:order-list")).content.decode()


@pytest.mark.parametrize("extra_orders", [0, 4])
def test_page_queries_do_not_grow_with_orders_shops_or_lines(
    client, town, django_assert_max_num_queries, extra_orders
):
    """The merchant's list with 1 or 5 shop orders; the resident's pages with 1 or 5 orders."""
    for _ in range(extra_orders):
        client.force_login(town["resident"])
        checkout(client, town["comte"], quantity=1)
    client.force_login(town["cheesemonger"])
    with django_assert_max_num_queries(11):  # + the shop named by the URL
        assert client.get(list_url(town["cheese"].shop)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(detail_url(town["cheese"])).status_code == 200
    client.force_login(town["resident"])
    with django_assert_max_num_queries(18):
        assert client.get(reverse("customer:order-list")).status_code == 200
    url = reverse("customer:order", kwargs={"order_number": town["order"].number})
    with django_assert_max_num_queries(19):  # + where its delivery stands in the rounds
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("shops, lines_per_shop", [(1, 1), (3, 3)])
def test_order_pages_queries_do_not_grow_with_the_shops_and_lines_of_the_order(
    client, django_assert_max_num_queries, shops, lines_per_shop
):
    merchant = merchant_create(email="multi@example.fr")
    products = []
    for n in range(shops):
        shop = open_shop(f"Boutique {n}")
        shop.users.add(merchant)  # one merchant working for every shop: the worst case
        products += [
            product_offered(title=f"Article {n}-{i}", shop=shop, price="12.00")
            for i in range(lines_per_shop)
        ]
    resident = get_user_model().objects.create_user("camille", "camille@example.fr", "x")
    client.force_login(resident)
    order = checkout(client, *products, quantity=1)
    shop_order = order.shop_orders.order_by("number").last()

    with django_assert_max_num_queries(18):
        assert client.get(reverse("customer:order-list")).status_code == 200
    url = reverse("customer:order", kwargs={"order_number": order.number})
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    client.force_login(merchant)
    with django_assert_max_num_queries(11):  # + the shop named by the URL
        assert client.get(list_url(shop_order.shop), {"status": ""}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(detail_url(shop_order)).status_code == 200
