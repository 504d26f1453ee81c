"""'Ajouter un produit' in a real phone-sized browser (390 px): a catalogue product found by
typing its EAN and offered in one step; no camera API => no scan button; a new product with
its photo; the category chosen with the keyboard through the type-ahead."""

import io
import re

import pytest
from oscar.core.loading import get_model
from PIL import Image
from playwright.sync_api import expect

from catalog.services import product_search_refresh
from tests.factories import (
    ProductClassFactory,
    ShopFactory,
    category_create,
    merchant_create,
    product_offered,
)

pytestmark = pytest.mark.django_db(transaction=True)
StockRecord = get_model("partner", "StockRecord")
PASSWORD = "boulange-du-lac-42"
EAN = "3760123456784"


@pytest.fixture(autouse=True)
def _setup(eager_celery, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, url: str, email: str, next_url: str) -> None:
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(PASSWORD)
    page.locator('button[name="login_submit"]').click()


def photo() -> dict:
    data = io.BytesIO()
    Image.new("RGB", (1200, 900), "wheat").save(data, "JPEG")
    return {"name": "seigle.jpg", "mimeType": "image/jpeg", "buffer": data.getvalue()}


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_add_from_the_catalogue_by_ean_then_a_new_product_with_photo(live_server, phone):
    url = live_server.url
    ProductClassFactory(name="Produit")
    pains = category_create("Pains", parent=category_create("Boulangerie"))
    category_create("Viennoiseries", parent=pains.get_parent())
    shop = ShopFactory(name="Boulangerie du Lac", status="live")
    merchant = merchant_create(shop, email="lac@example.fr", password=PASSWORD)
    product_offered(title="Farine de seigle 1 kg", upc=EAN, shop=ShopFactory(status="live"))
    product_search_refresh()
    add = f"/ma-boutique/{shop.code}/produits/ajouter/"
    log_in(phone, url, merchant.email, add)

    # Headless Chromium has no BarcodeDetector here: the scan button stays hidden.
    has_detector = phone.evaluate("'BarcodeDetector' in window")
    scan = phone.get_by_role("button", name="Scanner le code-barres")
    if not has_detector:
        expect(scan).to_be_hidden()
    no_horizontal_scroll(phone)

    # 1. Typing the EAN finds the catalogue's product: "Je vends aussi ce produit".
    phone.get_by_label("Nom ou code-barres (EAN)").fill(EAN)
    phone.get_by_role("button", name="Chercher").click()
    match = phone.locator(".dx-match")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("Farine de seigle 1 kg")
    match.get_by_label("Prix (€)").fill("3,20")
    match.get_by_label("Stock").fill("10")
    match.get_by_role("button", name="Je vends aussi ce produit").click()
    expect(phone.get_by_text("« Farine de seigle 1 kg » est en vente.")).to_be_visible()
    no_horizontal_scroll(phone)
    offer = StockRecord.objects.get(partner=shop)
    assert (str(offer.price), offer.num_in_stock) == ("3.20", 10)

    # 2. A new product: photo, name, the category by keyboard in the type-ahead.
    phone.goto(url + add)
    phone.locator("#id_photo").set_input_files(photo())
    expect(phone.locator("[data-dx-photo-preview] img")).to_be_visible()
    phone.locator("#id_title").fill("Pain de seigle")
    suggestion = phone.locator("[data-dx-suggest-accept]")
    expect(suggestion).to_have_text("Boulangerie › Pains")  # suggested from the name
    combo = phone.get_by_role("combobox", name=re.compile("Catégorie"))
    combo.fill("bou")
    expect(phone.get_by_role("option")).to_have_count(3)
    combo.press("ArrowDown")
    combo.press("ArrowDown")
    expect(combo).to_have_attribute("aria-activedescendant", re.compile("_1$"))
    combo.press("Enter")
    expect(combo).to_have_value("Boulangerie › Pains")
    expect(combo).to_have_attribute("aria-expanded", "false")
    phone.locator("#id_price").fill("4,45")
    phone.locator("#id_num_in_stock").fill("12")
    no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Enregistrer le produit").click()
    expect(phone.get_by_text("« Pain de seigle » est en vente.")).to_be_visible()
    no_horizontal_scroll(phone)
    new = StockRecord.objects.get(partner=shop, product__title="Pain de seigle")
    assert str(new.price) == "4.45" and list(new.product.categories.all()) == [pains]
    assert new.product.images.count() == 1
    # The list shows both, with a thumbnail for the new one.
    expect(phone.locator("table.dx-products img.dx-thumb")).to_have_count(1)


def test_a_detector_in_the_browser_shows_the_scan_button(live_server, browser):
    """A stand-in BarcodeDetector (no camera in CI): the button appears."""
    shop = ShopFactory(name="Boulangerie du Lac", status="live")
    merchant = merchant_create(shop, email="lac@example.fr", password=PASSWORD)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.add_init_script(
        "window.BarcodeDetector = class { static getSupportedFormats() {"
        " return Promise.resolve(['ean_13', 'qr_code']); } detect() {"
        " return Promise.resolve([]); } };"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, merchant.email, f"/ma-boutique/{shop.code}/produits/ajouter/")
    expect(page.get_by_role("button", name="Scanner le code-barres")).to_be_visible()
    context.close()
