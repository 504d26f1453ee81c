"""CSV import/export of a shop's offers: all rows or none, idempotent, one shop only."""

import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model

from catalog.services import product_search_refresh
from shops.catalogue_io import catalogue_csv_export, catalogue_csv_import, catalogue_csv_parse
from tests.factories import (
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    merchant_create,
)

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
CsvImport = get_model("partner", "CsvImport")

HEADER = "sku;titre;prix;stock;en_vente;categorie;description;ean\n"


def upload(text: str | bytes, name: str = "offres.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def run(shop, text, **kwargs) -> CsvImport:
    return catalogue_csv_import(shop=shop, user=None, upload=upload(text, **kwargs))


def counts() -> tuple[int, int]:
    return Product.objects.count(), StockRecord.objects.count()


def export_text(shop) -> str:
    return "".join(catalogue_csv_export(shop=shop))


@pytest.fixture
def shop():
    return ShopFactory(name="Épicerie du Port")


def test_import_creates_then_a_second_import_updates_without_duplicates(
    shop, eager_celery, django_capture_on_commit_callbacks
):
    category_create("Épicerie")
    text = (
        HEADER
        + "CONF-1;Confiture d'abricot;4,90;12;oui;épicerie;Abricots du Roussillon;3760000000011\n"
        + "MIEL-1;Miel de lavande;7.5;0;non;;;\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        record = run(shop, text)
    assert (record.status, record.rows_total, record.rows_created) == ("applied", 2, 2)
    offer = StockRecord.objects.get(partner=shop, partner_sku="CONF-1")
    assert (offer.price, offer.num_in_stock, offer.is_on_sale) == (Decimal("4.90"), 12, True)
    product = offer.product
    assert product.title == "Confiture d'abricot" and product.upc == "3760000000011"
    assert product.description == "Abricots du Roussillon" and product.slug
    assert [c.name for c in product.categories.all()] == ["Épicerie"]
    assert "confiture" in product.search_text and "epicerie" in product.search_text
    assert StockRecord.objects.get(partner_sku="MIEL-1").is_on_sale is False

    before = counts()
    again = run(shop, text.replace("4,90;12", "5,20;8"))
    assert counts() == before
    assert (again.status, again.rows_created, again.rows_updated) == ("applied", 0, 1)
    offer.refresh_from_db()
    assert (offer.price, offer.num_in_stock) == (Decimal("5.20"), 8)


def test_export_then_import_changes_nothing(shop):
    product = ProductFactory(title="=Savon « artisanal »; lavande", description="Ligne 1\nLigne 2")
    StockRecordFactory(partner=shop, product=product, partner_sku="SAV-1", price=Decimal("3.5"))
    StockRecordFactory(
        partner=shop,
        product=ProductFactory(),
        partner_sku="-PAIN",
        is_on_sale=False,
        num_in_stock=0,
    )
    product.categories.add(category_create("Droguerie"))
    text = export_text(shop)
    assert text.startswith("\ufeffsku;titre;prix;stock;en_vente;categorie;description;ean\r\n")
    assert "'=Savon" in text and ";3,50;" in text and "'-PAIN" in text  # formulas defused
    before = counts()
    record = run(shop, text.encode("utf-8"))
    assert (record.status, record.rows_total, record.rows_created, record.rows_updated) == (
        "applied",
        2,
        0,
        0,
    )
    assert counts() == before
    product.refresh_from_db()
    assert product.title == "=Savon « artisanal »; lavande"
    assert export_text(shop) == text


def test_import_only_touches_this_shops_offers_even_with_the_same_sku(shop):
    other = StockRecordFactory(
        partner=ShopFactory(), product=ProductFactory(), partner_sku="CONF-1", price=Decimal("9")
    )
    record = run(shop, HEADER + "CONF-1;Confiture;4,90;12;;;;\n")
    assert (record.status, record.rows_created) == ("applied", 1)
    other.refresh_from_db()
    assert other.price == Decimal("9.00") and other.product.title != "Confiture"
    assert StockRecord.objects.get(partner=shop, partner_sku="CONF-1").product != other.product


def test_a_product_another_shop_offers_keeps_its_title_only_the_offer_changes(shop):
    product = ProductFactory(title="Pain de campagne")
    mine = StockRecordFactory(partner=shop, product=product, partner_sku="PAIN")
    StockRecordFactory(partner=ShopFactory(), product=product)
    record = run(shop, HEADER + "PAIN;Pain trafiqué;2,10;5;;;;\n")
    assert record.status == "applied" and record.rows_updated == 1
    assert "d'autres boutiques" in record.errors[0]["message"]
    product.refresh_from_db()
    mine.refresh_from_db()
    assert product.title == "Pain de campagne" and mine.price == Decimal("2.10")
    product.categories.add(category_create("Boulangerie"))
    again = run(shop, export_text(shop))  # what the shop exports: no change, no warning
    assert (again.status, again.rows_updated, again.errors) == ("applied", 0, [])


def test_unknown_category_and_taken_ean_are_warnings_not_errors(shop):
    ProductFactory(upc="3760000000011")
    record = run(shop, HEADER + "A;Produit A;1;1;oui;Inconnue;;3760000000011\n")
    assert record.status == "applied"
    messages = " ".join(e["message"] for e in record.errors)
    assert "Ligne 2 : catégorie « Inconnue » introuvable" in messages
    assert "EAN « 3760000000011 » déjà utilisé" in messages
    product = StockRecord.objects.get(partner_sku="A").product
    assert not product.upc and not product.categories.exists()


def test_comma_separated_file_without_bom_and_short_header_is_accepted(shop):
    record = run(shop, 'SKU,Titre,Prix,Stock\r\nB-1,Bougie,"12,50",3\r\n')
    assert record.status == "applied"
    assert StockRecord.objects.get(partner_sku="B-1").price == Decimal("12.50")


def test_every_row_is_checked_and_every_error_reported_with_its_line(shop):
    text = (
        HEADER
        + "A;Produit A;3,5x;1;;;;\n"
        + "B;Produit B;2;-3;;;;\n"
        + "A;Produit A bis;2;1;;;;\n"
        + "C;;0;1,5;peut-être;;;\n"
    )
    record = run(shop, text)
    assert (record.status, record.rows_total) == ("refused", 4) and counts() == (0, 0)
    messages = [e["message"] for e in record.errors]
    assert (
        "Ligne 2 : prix « 3,5x » invalide (un montant supérieur à 0, par exemple 3,50)." in messages
    )
    assert any(m.startswith("Ligne 3 : stock « -3 » négatif") for m in messages)
    assert "Ligne 4 : sku « A » déjà présent ligne 2." in messages
    assert {e["column"] for e in record.errors if e["line"] == 5} == {
        "titre",
        "prix",
        "stock",
        "en_vente",
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Le fichier est vide"),
        ("\ufeff\r\n".encode(), "Le fichier est vide"),
        (
            HEADER.replace("é", "e").encode("latin-1") + "1;Pâté;3;1;;;;\n".encode("latin-1"),
            "UTF-8",
        ),
        (b"titre;prix\nPain;1\n", "Colonnes obligatoires manquantes : sku, stock."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "n'est pas un tableau CSV"),
        (b'sku;titre;prix;stock\nA;"Pain;1;1\n', "mal formé"),
        (b"sku;titre;prix;stock\nA;Pain;1;1;trop;\n", "6 valeurs pour 4 colonnes"),
    ],
    ids=["empty", "bom-only", "latin-1", "missing-columns", "binary", "quote", "extra-cells"],
)
def test_bad_files_are_refused_with_a_clear_message_and_change_nothing(shop, content, expected):
    StockRecordFactory(
        partner=shop, product=ProductFactory(), partner_sku="A", price=Decimal("4.50")
    )
    before = counts()
    record = run(shop, content)
    assert record.status == "refused"
    assert expected in record.errors[0]["message"]
    assert counts() == before
    assert StockRecord.objects.get(partner_sku="A").price == Decimal("4.50")


def test_latin1_file_suggests_saving_as_utf8(shop):
    record = run(shop, "sku;titre;prix;stock\nA;Pâté;3;1\n".encode("latin-1"))
    message = record.errors[0]["message"]
    assert "ligne 2" in message and "Enregistrez le fichier en UTF-8" in message


def test_ten_megabytes_of_random_bytes_are_refused_fast(shop, django_assert_max_num_queries):
    junk = upload(os.urandom(10 * 1024 * 1024), name="photo.csv")
    with django_assert_max_num_queries(1):  # the refused import's record, nothing else
        record = catalogue_csv_import(shop=shop, user=None, upload=junk)
    assert record.status == "refused" and "pèse 10 Mo : 5 Mo au plus" in record.errors[0]["message"]
    assert counts() == (0, 0)


def test_random_bytes_under_the_size_limit_are_refused_too(shop):
    record = run(shop, os.urandom(1024 * 1024))
    assert record.status == "refused" and counts() == (0, 0)


def test_more_than_ten_thousand_rows_are_refused(shop):
    rows = "".join(f"S{i};Produit {i};1;1\n" for i in range(10_001))
    record = run(shop, "sku;titre;prix;stock\n" + rows)
    assert record.status == "refused" and "plus de 10" in record.errors[0]["message"]
    assert counts() == (0, 0)


def test_stock_below_what_orders_hold_is_refused(shop):
    StockRecordFactory(
        partner=shop, product=ProductFactory(), partner_sku="A", num_in_stock=10, num_allocated=4
    )
    record = run(shop, "sku;titre;prix;stock\nA;Pain;1;3\n")
    assert record.status == "refused"
    assert "4 unités déjà réservées" in record.errors[0]["message"]
    assert StockRecord.objects.get(partner_sku="A").num_in_stock == 10


def test_parse_accepts_french_prices_and_yes_no():
    rows, report = catalogue_csv_parse(
        data="sku;titre;prix;stock;en vente\nA;Pain;1 234,50 €;0;Non\n".encode()
    )
    assert not report.errors
    assert (rows[0].price, rows[0].stock, rows[0].on_sale) == (Decimal("1234.50"), 0, False)


def test_import_refreshes_the_search_columns_of_created_products(
    shop, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(shop, "sku;titre;prix;stock\nA;Rillettes du Mans;6;2\n")
    assert StockRecord.objects.get(partner_sku="A").product.search_text == "rillettes du mans"
    product_search_refresh()  # idempotent with what the import scheduled


def test_import_is_recorded_for_the_user_and_the_shop(shop):
    user = merchant_create(shop)
    record = catalogue_csv_import(
        shop=shop, user=user, upload=upload("sku;titre;prix;stock\nA;B;1;1\n", name="../x.csv")
    )
    assert (record.shop, record.user, record.filename) == (shop, user, "x.csv")
