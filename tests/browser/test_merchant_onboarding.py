"""A shopkeeper puts their shop online in a real browser (headless Chromium, phone width):
sign-up, the checklist, a first product with its price, stock and photo, the town's
approval from the moderation queue, and the product on the public catalogue.

Screenshots of each step are saved under test-results/<this test>/ as CI artefacts.
"""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from oscar.core.loading import get_model
from PIL import Image
from playwright.sync_api import expect

from tests.accounts import totp_now, verification_path
from tests.factories import ProductClassFactory, category_create, commerce_staff_create

pytestmark = pytest.mark.django_db(transaction=True)
Partner = get_model("partner", "Partner")


@pytest.fixture(autouse=True)
def _setup(eager_celery, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shot(page, output_path, name: str) -> None:
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def photo() -> dict:
    data = io.BytesIO()
    Image.new("RGB", (800, 600), "goldenrod").save(data, "JPEG")
    return {"name": "tomme.jpg", "mimeType": "image/jpeg", "buffer": data.getvalue()}


def sign_up(page, url: str) -> None:
    page.goto(f"{url}/commercants/inscription/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label("Prénom").fill("Élise")
    for field, value in {
        "last_name": "Martin",
        "email": "elise@example.fr",
        "password1": "fromage-de-savoie-42",
        "password2": "fromage-de-savoie-42",
        "name": "Fromagerie du Lac",
        "siret": "732 829 320 00074",
        "address_line": "3 place du Marché",
        "postcode": "73100",
        "city": "Aix-les-Bains",
        "phone": "04 79 00 00 00",
    }.items():
        page.locator(f"#id_{field}").fill(value)
    page.locator("#id_trade").select_option("fromagerie")
    page.locator("#id_offers_click_collect").check()
    page.get_by_role("button", name="Inscrire ma boutique").click()


def first_product(page, url: str, shop_code: str) -> None:
    """The merchant's own one-screen form: photo, name, category by type-ahead, price, stock."""
    page.goto(f"{url}/ma-boutique/{shop_code}/produits/ajouter/")
    page.locator("#id_photo").set_input_files(photo())
    page.locator("#id_title").fill("Tomme de Savoie")
    page.get_by_role("combobox", name=re.compile("Catégorie")).fill("crèm")
    page.get_by_role("option", name="Crèmerie").click()
    page.locator("#id_price").fill("18,50")
    page.locator("#id_num_in_stock").fill("7")
    page.get_by_role("button", name="Enregistrer le produit").click()


def approve(browser, url: str, shop, output_path) -> None:
    staff = commerce_staff_create(email="commerce@example.fr", password="mairie-aix-2026")
    device = TOTPDevice.objects.create(user=staff, name="Application", confirmed=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/accounts/login/?next=/dashboard/moderation/")
    page.locator("#id_login-username").fill(staff.email)
    page.locator("#id_login-password").fill("mairie-aix-2026")
    page.locator('button[name="login_submit"]').click()
    # The town's staff type their authenticator's code (second factor) before the queue.
    page.locator("#id_token").fill(totp_now(device))
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("link", name=re.compile("Fromagerie du Lac")).first.click()
    shot(page, output_path, "4-moderation")
    approval = page.locator('form:has(input[value="approve"])')
    confirm = approval.locator('input[name="confirm"]')  # asked when the shop lacks something
    if confirm.count():
        confirm.check()
    approval.locator('button[type="submit"]').click()
    expect(page.get_by_text(re.compile("en ligne|approuvée|validée", re.I)).first).to_be_visible()
    context.close()


def test_a_shopkeeper_signs_up_and_puts_a_first_product_online(
    live_server, page, browser, output_path
):
    url = live_server.url
    page.set_default_timeout(10_000)
    ProductClassFactory(name="Produit")
    category = category_create("Crèmerie")

    sign_up(page, url)
    expect(page.get_by_role("heading", name="Vérifiez votre boîte mail")).to_be_visible()
    # The shopkeeper opens the link e-mailed to them, then signs in to prepare the shop.
    page.goto(url + verification_path(mail.outbox))
    page.goto(f"{url}/accounts/login/?next=/dashboard/")
    page.locator("#id_login-username").fill("elise@example.fr")
    page.locator("#id_login-password").fill("fromage-de-savoie-42")
    page.locator('button[name="login_submit"]').click()
    expect(page.get_by_text(re.compile("en attente de validation", re.I)).first).to_be_visible()
    shot(page, output_path, "1-checklist")
    shop = Partner.objects.get(code="fromagerie-du-lac")
    assert shop.status == "pending"

    first_product(page, url, shop.code)
    expect(page.get_by_text("Tomme de Savoie").first).to_be_visible()
    shot(page, output_path, "2-product-saved")
    offer = shop.stockrecords.get()
    assert (offer.product.title, str(offer.price), offer.num_in_stock) == (
        "Tomme de Savoie",
        "18.50",
        7,
    )
    assert list(offer.product.categories.all()) == [category]

    page.goto(f"{url}/catalogue/")  # nothing of a pending shop is public
    expect(page.get_by_text("Tomme de Savoie")).to_have_count(0)
    shot(page, output_path, "3-not-yet-public")

    approve(page.context.browser, url, shop, output_path)
    shop.refresh_from_db()
    assert shop.status == "live"

    page.goto(f"{url}/catalogue/")
    card = page.get_by_role("link", name=re.compile("Tomme de Savoie")).first
    expect(card).to_be_visible()
    card.click()
    expect(page.get_by_role("heading", name="Tomme de Savoie")).to_be_visible()
    expect(page.get_by_text("Fromagerie du Lac").first).to_be_visible()
    shot(page, output_path, "5-online")
