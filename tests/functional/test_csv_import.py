"""The CSV import and export pages of a merchant's shop."""

import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import ProductFactory, ShopFactory, StockRecordFactory, merchant_create

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
CsvImport = get_model("partner", "CsvImport")


@pytest.fixture
def shop():
    return ShopFactory(name="Épicerie du Port")


@pytest.fixture
def merchant(client, shop):
    user = merchant_create(shop)
    client.force_login(user)
    return user


def import_url(shop) -> str:
    return reverse("merchant:csv-import", kwargs={"slug": shop.code})


def post_file(client, shop, content: bytes, name: str = "offres.csv"):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(import_url(shop), {"file": upload}, follow=True)


def counts() -> tuple[int, int]:
    return Product.objects.count(), StockRecord.objects.count()


def test_import_page_shows_the_format_an_example_and_the_export_link(client, merchant, shop):
    html = client.get(import_url(shop)).content.decode()
    assert "sku;titre;prix;stock;en_vente;categorie;description;ean" in html
    assert reverse("merchant:csv-export", kwargs={"slug": shop.code}) in html
    assert 'for="id_file"' in html and "Aucun import pour l" in html


def test_upload_applies_the_file_and_shows_its_report(client, merchant, shop):
    response = post_file(client, shop, "sku;titre;prix;stock\nA;Pâté en croûte;6,90;4\n".encode())
    record = CsvImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "merchant:csv-import-detail", kwargs={"slug": shop.code, "pk": record.pk}
    )
    html = response.content.decode()
    assert "Import appliqué : 1 produit(s) créé(s), 0 mis à jour." in html
    assert (record.status, record.user, record.shop) == ("applied", merchant, shop)
    assert StockRecord.objects.get(partner=shop, partner_sku="A").price == Decimal("6.90")
    assert "offres.csv" in client.get(import_url(shop)).content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sku;titre;prix;stock\nA;Pâté;3;1\n".encode("latin-1"), "Enregistrez le fichier en UTF-8"),
        (b"sku;titre\nA;Pain\n", "Colonnes obligatoires manquantes : prix, stock."),
        (b"sku;titre;prix;stock\nA;Pain;2;-1\n", "Ligne 2 : stock « -1 » négatif"),
        (b"sku;titre;prix;stock\nA;Pain;3,5x;1\n", "Ligne 2 : prix « 3,5x » invalide"),
        (b"sku;titre;prix;stock\nA;Pain;1;1\nA;Pain;1;1\n", "Ligne 3 : sku « A » déjà présent"),
        (b"", "Le fichier est vide"),
    ],
    ids=["latin-1", "missing-columns", "negative-stock", "bad-price", "duplicate-sku", "empty"],
)
def test_a_bad_file_is_refused_with_its_report_and_changes_nothing(
    client, merchant, shop, content, message
):
    StockRecordFactory(partner=shop, product=ProductFactory(), partner_sku="A", num_in_stock=5)
    before = counts()
    html = post_file(client, shop, content).content.decode()
    assert "Import refusé : rien n&#x27;a été modifié." in html
    assert message.replace("'", "&#x27;") in html
    assert counts() == before
    assert StockRecord.objects.get(partner_sku="A").num_in_stock == 5
    assert CsvImport.objects.get().status == "refused"


def test_ten_megabytes_of_junk_are_refused(client, merchant, shop):
    html = post_file(client, shop, os.urandom(10 * 1024 * 1024), name="junk.csv").content.decode()
    assert "Le fichier pèse 10 Mo : 5 Mo au plus." in html
    assert counts() == (0, 0)


def test_export_downloads_the_shops_offers_and_importing_it_changes_nothing(client, merchant, shop):
    StockRecordFactory(
        partner=shop, product=ProductFactory(title="Miel; lavande"), partner_sku="MIEL"
    )
    StockRecordFactory(partner=ShopFactory(), product=ProductFactory(title="Pain d'ailleurs"))
    response = client.get(reverse("merchant:csv-export", kwargs={"slug": shop.code}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{shop.code}-offres-' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbfsku;titre;prix;stock;")
    assert "Miel; lavande" in content.decode() and "ailleurs" not in content.decode()
    kept = [f.name for f in StockRecord._meta.concrete_fields if not f.name.startswith("stock_s")]
    before = list(StockRecord.objects.order_by("pk").values(*kept))
    html = post_file(client, shop, content).content.decode()
    assert "0 produit(s) créé(s), 0 mis à jour" in html
    assert list(StockRecord.objects.order_by("pk").values(*kept)) == before
    assert set(shop.stockrecords.values_list("stock_source", flat=True)) == {"import"}


def test_another_shops_import_report_is_a_404(client, merchant, shop):
    other = ShopFactory()
    theirs = CsvImport.objects.create(shop=other, filename="x.csv", status="applied")
    mine = CsvImport.objects.create(shop=shop, filename="y.csv", status="refused")
    detail = "merchant:csv-import-detail"
    assert (
        client.get(reverse(detail, kwargs={"slug": shop.code, "pk": theirs.pk})).status_code == 404
    )
    assert (
        client.get(reverse(detail, kwargs={"slug": other.code, "pk": theirs.pk})).status_code == 404
    )
    assert client.get(reverse(detail, kwargs={"slug": shop.code, "pk": mine.pk})).status_code == 200
    assert "x.csv" not in client.get(import_url(shop)).content.decode()


def test_a_merchant_cannot_import_into_or_export_another_shop(client, merchant):
    other = ShopFactory()
    StockRecordFactory(partner=other, product=ProductFactory(), partner_sku="A")
    before = counts()
    response = client.post(
        import_url(other),
        {"file": SimpleUploadedFile("a.csv", b"sku;titre;prix;stock\nB;Pain;1;1\n")},
    )
    assert response.status_code == 404 and counts() == before
    assert not CsvImport.objects.exists()
    export = reverse("merchant:csv-export", kwargs={"slug": other.code})
    assert client.get(export).status_code == 404


def test_no_file_chosen_is_a_form_error(client, merchant, shop):
    response = client.post(import_url(shop), {})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not CsvImport.objects.exists()
