"""The merchant's products list, which is the stock and price editor: inline edits saved in
one go, search, filters, bulk on sale / off sale, CSV from the same page, old paths."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shops.services import product_moderate
from tests.factories import (
    ProductFactory,
    ProductImageFactory,
    ShopFactory,
    StockRecordFactory,
    commerce_staff_create,
    merchant_create,
)

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")

# Pinned: the list costs the same whatever the number of rows shown (see the budget test).
GET_QUERIES = 12
POST_QUERIES = 13


@pytest.fixture
def shop():
    return ShopFactory(name="Épicerie du Port")


@pytest.fixture
def merchant(client, shop):
    user = merchant_create(shop)
    client.force_login(user)
    return user


def offer(shop, title, **fields):
    fields.setdefault("partner_sku", title.upper().replace(" ", "-"))
    return StockRecordFactory(partner=shop, product=ProductFactory(title=title), **fields)


def url(shop, **query) -> str:
    base = reverse("merchant:products", kwargs={"slug": shop.code})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def row_data(*offers, **overrides) -> dict:
    """The POST of the editor for these rows, with their current values unless overridden."""
    data = {"offre": [str(o.pk) for o in offers]}
    for o in offers:
        values = {
            "price": f"{o.price:.2f}".replace(".", ","),
            "num_in_stock": str(o.num_in_stock),
            "is_on_sale": "on" if o.is_on_sale else None,
        }
        values.update(overrides.get(str(o.pk), {}))
        for name, value in values.items():
            if value is not None:
                data[f"offre-{o.pk}-{name}"] = value
    return data


def snapshot():
    return list(
        StockRecord.objects.order_by("pk").values_list("pk", "price", "num_in_stock", "is_on_sale")
    )


def test_list_shows_the_shops_offers_with_labelled_inputs_in_french_format(client, merchant, shop):
    mine = offer(shop, "Confiture d'abricot", price=Decimal("4.90"))
    offer(ShopFactory(), "Pain d'ailleurs")
    response = client.get(url(shop))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confiture d&#x27;abricot" in html and "Pain d&#x27;ailleurs" not in html
    assert f'for="id_offre-{mine.pk}-price"' in html and 'value="4,90"' in html
    edit = reverse("merchant:product-edit", kwargs={"slug": shop.code, "pk": mine.pk})
    assert edit in html and "/dashboard/catalogue/" not in html
    assert 'scope="col"' in html and 'scope="row"' in html
    assert "dx-table--stack" in html and 'data-label="Stock"' in html
    assert reverse("merchant:product-add", kwargs={"slug": shop.code}) in html
    # CSV import and export from the same page.
    assert reverse("merchant:csv-export", kwargs={"slug": shop.code}) in html
    assert f'action="{reverse("merchant:csv-import", kwargs={"slug": shop.code})}"' in html


def test_saving_the_page_updates_every_row_in_one_go(client, merchant, shop):
    first, second = offer(shop, "Abricots"), offer(shop, "Beurre", is_on_sale=False)
    data = row_data(
        first,
        second,
        **{
            str(first.pk): {"price": "3,50", "num_in_stock": "7", "is_on_sale": None},
            str(second.pk): {"is_on_sale": "on"},
        },
    )
    response = client.post(url(shop), data, follow=True)
    assert "Modifications enregistrées : 2 offre(s)" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.price, first.num_in_stock, first.is_on_sale) == (Decimal("3.50"), 7, False)
    assert second.is_on_sale is True


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "3,5x", "Prix « 3,5x » invalide"),
        ("price", "0", "Prix « 0 » invalide"),
        ("price", "1.234", "2 décimales au plus"),
        ("num_in_stock", "-2", "Le stock ne peut pas être négatif."),
        ("num_in_stock", "deux", "Stock invalide"),
    ],
)
def test_one_bad_row_refuses_the_whole_save_with_the_error_on_that_row(
    client, merchant, shop, field, value, message
):
    good, bad = offer(shop, "Abricots"), offer(shop, "Beurre")
    before = snapshot()
    data = row_data(good, bad, **{str(good.pk): {"price": "9,99"}, str(bad.pk): {field: value}})
    response = client.post(url(shop), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rien n&#x27;a été enregistré" in html
    assert f'id="id_offre-{bad.pk}-{field}-error"' in html and message in html
    assert 'aria-invalid="true"' in html
    assert f'aria-describedby="id_offre-{bad.pk}-{field}-error"' in html
    assert 'value="9,99"' in html  # what the merchant typed is kept
    assert snapshot() == before


def test_stock_below_reserved_units_is_refused(client, merchant, shop):
    held = offer(shop, "Abricots", num_in_stock=10, num_allocated=3)
    before = snapshot()
    response = client.post(url(shop), row_data(held, **{str(held.pk): {"num_in_stock": "2"}}))
    assert "3 unités déjà réservées" in response.content.decode()
    assert snapshot() == before


def test_posting_another_shops_offer_id_is_refused_and_nothing_changes(client, merchant, shop):
    mine = offer(shop, "Abricots")
    theirs = offer(ShopFactory(), "Pain d'ailleurs")
    before = snapshot()
    data = row_data(mine, theirs, **{str(mine.pk): {"price": "1"}, str(theirs.pk): {"price": "1"}})
    response = client.post(url(shop), data, follow=True)
    assert "ne sont pas des offres de votre boutique" in response.content.decode()
    assert snapshot() == before
    response = client.post(url(shop), {"offre": ["abc"]}, follow=True)
    assert "Rien n&#x27;a été enregistré" in response.content.decode()


def test_a_merchant_cannot_open_another_shops_list(client, merchant):
    other = ShopFactory()
    offer(other, "Pain d'ailleurs")
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), {}).status_code == 404


def test_search_by_title_sku_or_ean_and_pagination(client, merchant, shop):
    for i in range(55):
        offer(shop, f"Savon {i:03d}", partner_sku=f"SAV-{i:03d}")
    offer(shop, "Confiture", partner_sku="CONF-9")
    page = client.get(url(shop)).context
    assert len(page["forms"]) == 50 and page["paginator"].count == 56
    assert len(client.get(url(shop, page=2)).context["forms"]) == 6
    honey = StockRecordFactory(
        partner=shop, product=ProductFactory(title="Miel", upc="3760123456789")
    )
    by_ean = client.get(url(shop, q="3760123456789")).context["forms"]
    assert [f.offer for f in by_ean] == [honey]
    assert [f.offer.partner_sku for f in client.get(url(shop, q="confit")).context["forms"]] == [
        "CONF-9"
    ]
    assert [f.offer.product.title for f in client.get(url(shop, q="sav-054")).context["forms"]] == [
        "Savon 054"
    ]


def test_list_runs_a_constant_number_of_queries(
    client, merchant, shop, django_assert_num_queries, monkeypatch
):
    from django.core.cache import caches

    # sorl-thumbnail keeps where each thumbnail is in the cache: the test's small local
    # cache (300 entries) must not evict them, as a real cache server would not.
    monkeypatch.setattr(caches["default"], "_max_entries", 100_000)

    def measure(expected_rows: int) -> None:
        client.get(url(shop))  # warm the per-process caches (site, content types)
        with django_assert_num_queries(GET_QUERIES):
            response = client.get(url(shop))
        assert len(response.context["forms"]) == expected_rows
        offers = list(StockRecord.objects.filter(partner=shop))
        data = row_data(*offers, **{str(o.pk): {"num_in_stock": "42"} for o in offers})
        with django_assert_num_queries(POST_QUERIES):
            assert client.post(url(shop), data).status_code == 302
        StockRecord.objects.filter(partner=shop).update(num_in_stock=1)

    for i in range(5):
        ProductImageFactory(product=offer(shop, f"Produit {i}", num_in_stock=1).product)
    measure(5)
    for i in range(5, 50):
        ProductImageFactory(product=offer(shop, f"Produit {i}", num_in_stock=1).product)
    product_moderate(
        product=StockRecord.objects.filter(partner=shop).first().product,
        by=commerce_staff_create(),
        action="withdraw",
        reason="Étiquette",
    )
    measure(50)


def test_withdraw_hides_the_offer_from_public_pages_and_restore_shows_it_again(
    client, merchant, shop
):
    sold = offer(shop, "Rillettes du Mans")
    product_url = sold.product.get_absolute_url()
    on_sale_url = reverse("merchant:offer-on-sale", kwargs={"slug": shop.code, "pk": sold.pk})

    def public_sees() -> bool:
        client.logout()
        found = client.get(product_url).status_code == 200
        listed = "Rillettes du Mans" in client.get("/catalogue/").content.decode()
        client.force_login(merchant)
        assert found == listed
        return found

    assert public_sees()
    response = client.post(on_sale_url, {"on_sale": "0", "next": url(shop, q="rill")})
    assert response.status_code == 302 and response["Location"] == url(shop, q="rill")
    sold.refresh_from_db()
    assert sold.is_on_sale is False and not public_sees()
    response = client.post(
        on_sale_url, {"on_sale": "1", "next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url(shop)
    assert "« Rillettes du Mans » est de nouveau en vente." in response.content.decode()
    assert public_sees()


def test_withdraw_refuses_another_shops_offer_and_bad_values(client, merchant, shop):
    theirs = offer(ShopFactory(), "Pain d'ailleurs")
    mine = offer(shop, "Abricots")
    other_url = reverse("merchant:offer-on-sale", kwargs={"slug": shop.code, "pk": theirs.pk})
    assert client.post(other_url, {"on_sale": "0"}).status_code == 404
    mine_url = reverse("merchant:offer-on-sale", kwargs={"slug": shop.code, "pk": mine.pk})
    assert client.get(mine_url).status_code == 405
    response = client.post(mine_url, {"on_sale": "peut-être"}, follow=True)
    assert "Action inconnue" in response.content.decode()
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.is_on_sale and mine.is_on_sale


def test_filters_out_of_stock_not_on_sale_and_withdrawn_with_its_reason(client, merchant, shop):
    plenty = offer(shop, "Abricots", num_in_stock=5)
    empty = offer(shop, "Beurre", num_in_stock=0)
    off = offer(shop, "Cidre", is_on_sale=False)
    withdrawn = offer(shop, "Dattes")
    product_moderate(
        product=withdrawn.product,
        by=commerce_staff_create(),
        action="withdraw",
        reason="Origine non indiquée",
    )

    def shown(state: str) -> list:
        return [f.offer for f in client.get(url(shop, filtre=state)).context["forms"]]

    assert shown("tous") == [plenty, empty, off, withdrawn]
    assert shown("rupture") == [empty]
    assert shown("hors-vente") == [off]
    assert shown("retires") == [withdrawn]
    assert shown("n-importe-quoi") == [plenty, empty, off, withdrawn]  # unknown: all
    html = client.get(url(shop, filtre="retires")).content.decode()
    assert "Retiré par la mairie" in html and "Origine non indiquée" in html
    assert "Retirés par la mairie (1)" in html and "En rupture (1)" in html


def bulk_url(shop) -> str:
    return reverse("merchant:products-on-sale", kwargs={"slug": shop.code})


def test_bulk_puts_ticked_rows_off_sale_then_on_sale(client, merchant, shop):
    first, second, third = offer(shop, "Abricots"), offer(shop, "Beurre"), offer(shop, "Cidre")
    back = url(shop, q="a")
    response = client.post(
        bulk_url(shop), {"selection": [first.pk, second.pk], "on_sale": "0", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert list(
        StockRecord.objects.filter(partner=shop).order_by("pk").values_list("is_on_sale", flat=True)
    ) == [False, False, True]
    response = client.post(bulk_url(shop), {"selection": [first.pk], "on_sale": "1"}, follow=True)
    assert "1 produit(s) mis en vente." in response.content.decode()
    first.refresh_from_db(), third.refresh_from_db()
    assert first.is_on_sale and third.is_on_sale


def test_bulk_ignores_another_shops_ids_and_refuses_bad_input(client, merchant, shop):
    mine = offer(shop, "Abricots")
    theirs = offer(ShopFactory(), "Pain d'ailleurs")
    response = client.post(
        bulk_url(shop), {"selection": [mine.pk, theirs.pk], "on_sale": "0"}, follow=True
    )
    assert "1 produit(s) retiré(s) de la vente." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.is_on_sale is True
    before = snapshot()
    for data in (
        {"selection": ["abc"], "on_sale": "0"},
        {"on_sale": "0"},
        {"selection": [mine.pk], "on_sale": "peut-être"},
    ):
        assert client.post(bulk_url(shop), data).status_code == 302
    assert snapshot() == before
    other = ShopFactory()
    other_bulk = reverse("merchant:products-on-sale", kwargs={"slug": other.code})
    assert client.post(other_bulk, {"selection": [theirs.pk], "on_sale": "0"}).status_code == 404
    assert client.get(bulk_url(shop)).status_code == 405


def test_old_stock_and_csv_paths_redirect_to_the_products_pages(client, merchant, shop):
    products = reverse("merchant:products", kwargs={"slug": shop.code})
    for old, new in (
        (f"/ma-boutique/{shop.code}/stock/?q=miel", f"{products}?q=miel"),
        (f"/dashboard/boutique/{shop.code}/stock/", f"/ma-boutique/{shop.code}/stock/"),
        (f"/ma-boutique/{shop.code}/import/", f"{products}import/"),
        (f"/ma-boutique/{shop.code}/import/12/", f"{products}import/12/"),
        (f"/ma-boutique/{shop.code}/export.csv", f"{products}export.csv"),
    ):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    other = ShopFactory()
    assert client.get(f"/ma-boutique/{other.code}/stock/").status_code == 404
