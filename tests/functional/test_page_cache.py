"""Whole public list pages kept for every visitor, with holes for what is personal
(catalog/pagecache.py): served from the cache, never stale, never another visitor's."""

import datetime
import re

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import pagecache
from catalog.services import product_search_refresh
from tests.checkout import basket_fill, zone_create
from tests.factories import (
    ClosingPeriodFactory,
    ProductImageFactory,
    ShopFactory,
    category_create,
    commerce_staff_create,
    merchant_create,
    product_offered,
    week_hours,
)

# Real commits, as in production: the content's version is raised after each one.
pytestmark = pytest.mark.django_db(transaction=True)

ContentVersion = get_model("catalogue", "ContentVersion")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'<script type="application/ld\+json" nonce="([^"]+)"')


@pytest.fixture
def town(transactional_db, settings):
    settings.DIGITAIX_PAGE_CACHE_SECONDS = 300
    bakery = ShopFactory(name="Boulangerie du Lac", code="boulangerie-du-lac")
    week_hours(bakery)
    bread = category_create("Pain")
    products = [
        product_offered(title=f"Baguette {n}", shop=bakery, price="1.20", category=bread)
        for n in ("tradition", "céréales")
    ]
    product_search_refresh()
    return {"shop": bakery, "category": bread, "products": products}


def urls_of(town) -> list[str]:
    shop, category = town["shop"], town["category"]
    return [
        "/",
        "/catalogue/",
        category.get_absolute_url(),
        "/search/?q=baguette",
        "/boutiques/",
        reverse("shops:storefront", kwargs={"slug": shop.code}),
    ]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def changed():
    """Do an action in one transaction, which commits."""

    def run(action):
        with transaction.atomic():
            return action()

    return run


def queries_of(captured) -> list[str]:
    """The statements run, without the request's own savepoints."""
    sql = (query["sql"] for query in captured.captured_queries)
    return [q for q in sql if "SAVEPOINT" not in q and q not in ("BEGIN", "COMMIT")]


def without_personal(html: str) -> str:
    return NONCE.sub("", TOKEN.sub("", html))


def test_a_second_visit_is_served_from_the_cache_with_the_same_page(client, town):
    for url in urls_of(town):
        first = page(client, url)
        with CaptureQueriesContext(connection) as captured:
            again = page(client, url)
        # The catalogue's version, and the storefront's and category's own lookups.
        assert len(queries_of(captured)) <= 2, (url, queries_of(captured))
        assert without_personal(again) == without_personal(first), url


def test_each_visitor_gets_their_own_form_token_and_nonce(client, town):
    url = reverse("shops:storefront", kwargs={"slug": town["shop"].code})
    page(client, url)  # kept
    response = client.get(url)
    html = response.content.decode()
    tokens = set(TOKEN.findall(html))
    assert tokens and all(len(token) == 64 for token in tokens)
    nonces = set(NONCE.findall(html))
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]
    assert "\x00" not in html
    # The token works: the card's "Ajouter" posts the page's basket form.
    product = town["products"][0]
    client_token = tokens.pop()
    added = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 1, "csrfmiddlewaretoken": client_token},
    )
    assert added.status_code == 302


def test_a_token_check_is_not_skipped_for_kept_pages(town):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    url = "/catalogue/"
    page(strict, url)
    html = page(strict, url)  # from the cache
    token = TOKEN.search(html).group(1)
    product = town["products"][0]
    add = reverse("basket:add", kwargs={"pk": product.pk})
    assert strict.post(add, {"quantity": 1}).status_code == 403
    assert strict.post(add, {"quantity": 1, "csrfmiddlewaretoken": token}).status_code == 302


def test_the_basket_count_and_delivery_gap_are_each_visitors_own(client, town, changed):
    from django.test import Client

    shop = town["shop"]
    shop.offers_delivery = True
    changed(shop.save)
    changed(lambda: zone_create(minimum="30.00"))
    other = Client()
    for url in urls_of(town):
        page(other, url)  # kept by a visitor with an empty basket
    basket_fill(client, town["products"][0], quantity=2)
    directory = page(client, "/boutiques/")
    assert "il manque" in directory  # what the basket lacks for a delivery
    assert 'dx-badge">2<' in directory
    for url in urls_of(town):
        html = page(other, url)
        assert "il manque" not in html, url
        assert 'dx-badge dx-badge--empty">0<' in html, url
        assert 'dx-badge">2<' in page(client, url), url


def test_signed_in_residents_and_visitors_see_their_own_header_and_footer(client, town):
    from django.contrib.auth import get_user_model
    from django.test import Client

    resident = get_user_model().objects.create_user("claire", "claire@example.fr", "pw-123456!")
    client.force_login(resident)
    visitor = Client()
    for url in urls_of(town):
        mine = page(client, url)
        assert "Déconnexion" in mine and "Mes commandes" in mine, url
        theirs = page(visitor, url)
        assert "Déconnexion" not in theirs and "Connexion ou inscription" in theirs, url
        assert "Déconnexion" in page(client, url), url


def test_merchants_and_town_staff_are_never_served_a_kept_page(client, town, changed):
    from django.test import Client

    hidden = ShopFactory(name="Fromagerie en attente", code="fromagerie-en-attente")
    hidden.status = "pending"
    changed(hidden.save)
    hidden_url = reverse("shops:storefront", kwargs={"slug": hidden.code})
    staff = Client()
    staff.force_login(commerce_staff_create())
    assert staff.get(hidden_url).status_code == 200
    assert client.get(hidden_url).status_code == 404  # not served the staff's page
    merchant = Client()
    merchant.force_login(merchant_create(town["shop"]))
    for url in urls_of(town):
        page(client, url)
        assert "Gestion" in page(merchant, url), url  # their own menu, not the public's
        assert "Inscrire ma boutique" in page(client, url), url


def test_a_flash_message_is_shown_once_and_never_kept(client, town):
    page(client, "/catalogue/")  # kept without a message
    redirected = client.get("/catalogue/?page=99")
    assert redirected.status_code == 302
    assert "Cette page n&#x27;existe pas" in page(client, redirected["Location"])
    assert "Cette page n&#x27;existe pas" not in page(client, "/catalogue/")


# (what changes, the page that shows it, what the page then says), one after the other.
CHANGES = [
    (
        lambda t: setattr(t["shop"], "name", "Au Pain Doré") or t["shop"].save(),
        lambda t: "/boutiques/",
        "Au Pain Doré",
    ),
    (
        lambda t: ClosingPeriodFactory(shop=t["shop"], reason="inventaire annuel"),
        lambda t: reverse("shops:storefront", kwargs={"slug": t["shop"].code}),
        "inventaire annuel",
    ),
    (
        lambda t: t["shop"].opening_hours.all().delete(),
        lambda t: reverse("shops:storefront", kwargs={"slug": t["shop"].code}),
        "Horaires non communiqués.",
    ),
    (lambda t: ProductImageFactory(product=t["products"][0]), lambda t: "/catalogue/", "/media/"),
    (lambda t: t["products"][1].delete(), lambda t: "/catalogue/", "1 produit"),
]


def test_a_change_shows_at_once_on_a_kept_page(client, town, changed):
    """A shop renamed, a closure added, hours deleted, a photo added, a product deleted: one
    test (each transactional test empties every table after it)."""
    for change, url_of, expected in CHANGES:
        url = url_of(town)
        before = page(client, url)
        changed(lambda change=change: change(town))
        after = page(client, url)
        assert expected not in before and expected in after, expected


def test_a_category_renamed_shows_at_once(client, town, changed):
    category = town["category"]
    url = category.get_absolute_url()
    page(client, url)
    category.name = "Pains spéciaux"
    changed(category.save)
    assert "Pains spéciaux" in page(
        client, get_model("catalogue", "Category").objects.get(pk=category.pk).get_absolute_url()
    )
    assert "Pains spéciaux" in page(client, "/")


def test_stock_bought_shows_at_once(client, town, changed):
    offer = town["products"][0].stockrecords.get()
    offer.num_in_stock = 2
    changed(offer.save)
    assert "Indisponible" not in page(client, "/catalogue/")
    changed(lambda: offer.allocate(2))  # an order placed: Oscar updates the row itself
    assert "Indisponible" in page(client, "/catalogue/")


def test_a_delivery_fee_changed_shows_at_once(client, town, changed):
    shop = town["shop"]
    shop.offers_delivery = True
    changed(shop.save)
    zone = changed(lambda: zone_create(fee="3.50"))
    url = reverse("shops:storefront", kwargs={"slug": shop.code})
    assert "Livraison 3,50 €" in page(client, url) or "Livraison 3.50 €" in page(client, url)
    zone.fee = "4.90"
    changed(zone.save)
    html = page(client, url)
    assert "4,90" in html or "4.90" in html


def test_whether_a_shop_is_open_follows_the_clock(client, town):
    url = reverse("shops:storefront", kwargs={"slug": town["shop"].code})
    tz = timezone.get_current_timezone()
    monday = timezone.localdate()
    monday -= datetime.timedelta(days=monday.weekday())
    before_opening = datetime.datetime.combine(monday, datetime.time(8, 59, 30), tzinfo=tz)
    with time_machine.travel(before_opening, tick=False):
        assert "Fermé" in page(client, url)
    with time_machine.travel(before_opening + datetime.timedelta(seconds=45), tick=False):
        html = page(client, url)
        assert "Ouvert" in html and "dx-status--open" in html


def test_a_change_is_counted_once_per_transaction_and_never_when_rolled_back(town, changed):
    version = lambda: ContentVersion.objects.get(pk=1).value  # noqa: E731
    shops = [ShopFactory() for _ in range(3)]
    start = version()

    def rename_all():
        for shop in shops:
            shop.name += " (rénovée)"
            shop.save()

    changed(rename_all)
    assert version() == start + 1

    def rolled_back():
        with transaction.atomic():
            rename_all()
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        changed(rolled_back)
    assert version() == start + 1
    changed(rename_all)  # the rolled-back one did not stop the next from counting
    assert version() == start + 2


def test_an_unreachable_cache_only_means_rendering(client, town, cache_unreachable):
    for url in urls_of(town):
        assert "Boulangerie du Lac" in page(client, url) or url == "/catalogue/", url


def test_only_known_holes_are_filled():
    from django.template import Context

    with pytest.raises(ValueError):
        pagecache.hole(Context(), "oscar/partials/footer.html")
    skeleton = pagecache.HOLE.format("digitaix/home.html") + "<p>reste</p>"
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    assert pagecache._filled(request, skeleton) == "<p>reste</p>"  # noqa: SLF001


def test_no_page_is_kept_when_turned_off(client, town, settings):
    settings.DIGITAIX_PAGE_CACHE_SECONDS = 0
    page(client, "/catalogue/")
    with CaptureQueriesContext(connection) as captured:
        page(client, "/catalogue/")
    assert len(queries_of(captured)) > 3


def test_only_the_parameters_a_page_reads_make_a_new_copy(client, town, monkeypatch):
    kept = []
    monkeypatch.setattr(pagecache, "cache_set_many", lambda values, seconds: kept.extend(values))
    page(client, "/catalogue/?sort_by=title&page=1")
    assert len(kept) == 1
    for n in range(3):
        assert "Baguette tradition" in page(client, f"/catalogue/?utm_source=lettre-{n}")
        assert "Baguette tradition" in page(client, f"/?x={n}")
    assert len(kept) == 1


def test_a_fragment_holding_a_hole_is_never_kept_on_its_own(settings):
    """A hole inside a shared fragment (or a card): while a page is recorded, the fragment
    holds the hole's mark, so it is not kept; rendered again for another page, it shows the
    visitor's part, never a mark."""
    from types import SimpleNamespace

    from django.template import Context, Template
    from django.test import RequestFactory

    settings.DIGITAIX_CARD_CACHE_SECONDS = 600
    gap = "digitaix/shops/partials/delivery_gap.html"
    source = Template(
        "{% load shared_fragment page_holes %}{% shared_fragment 'gap' 1 %}"
        f"<p>{{% page_hole '{gap}' %}}</p>{{% endshared_fragment %}}"
    )
    request = RequestFactory().get("/")
    request.basket = SimpleNamespace(num_lines=0)
    setattr(request, pagecache._RECORDING, True)  # noqa: SLF001 - as shared_page does
    assert pagecache.HOLE.format(gap) in source.render(Context({"request": request}))
    setattr(request, pagecache._RECORDING, False)  # noqa: SLF001
    assert "\x00" not in source.render(Context({"request": request}))
