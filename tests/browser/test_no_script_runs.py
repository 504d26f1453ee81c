"""Nothing a user writes runs as code, even for town staff (issue 12, part 2), in Chromium.

The attack of the issue: a brand-new *pending* merchant imports a CSV whose description
holds a script that approves their own shop; town staff open the product from the moderation
page. Nothing may run and no approval may be recorded. Then the Content-Security-Policy on
its own: an inline script slipped into a page past every sanitiser does not run either, while
the page's own (nonce'd) script does. And Oscar's dashboard JavaScript still works under it.
"""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from oscar.core.loading import get_model
from playwright.sync_api import expect

from shops.catalogue_io import catalogue_csv_import
from tests.accounts import totp_now
from tests.factories import (
    ProductClassFactory,
    ShopFactory,
    commerce_staff_create,
    merchant_create,
    week_hours,
)

pytestmark = pytest.mark.django_db(transaction=True)
Partner = get_model("partner", "Partner")
ModerationEvent = get_model("partner", "ModerationEvent")
PASSWORD = "mairie-aix-2026"
COLUMNS = ["sku", "titre", "prix", "stock", "description"]


def approve_script(shop_pk: int) -> str:
    """What the attacker's description runs: post "approve" for their own shop as staff."""
    token = "document.cookie.replace(/.*csrftoken=([^;]*).*/,'$1')"
    return (
        f"window.__xss=1;fetch('{reverse('moderation:shop', args=[shop_pk])}',{{method:'POST',"
        "credentials:'same-origin',"
        "headers:{'Content-Type':'application/x-www-form-urlencoded'},"
        f"body:'action=approve&csrfmiddlewaretoken='+{token}}})"
    )


@pytest.fixture(autouse=True)
def _setup(eager_celery, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def watch(page) -> list[str]:
    """Every console message and page error, to look for scripts that ran or were blocked."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text))
    page.on("pageerror", lambda error: seen.append(str(error)))
    page.on("dialog", lambda dialog: (seen.append("dialog " + dialog.message), dialog.dismiss()))
    return seen


def log_in(page, url: str, email: str, next_url: str, device=None) -> None:
    """Sign in through the form; staff then type their authenticator's code (`device`)."""
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(PASSWORD)
    page.locator('button[name="login_submit"]').click()
    if device is not None:
        page.locator("#id_token").fill(totp_now(device))
        page.get_by_role("button", name="Valider").click()


def test_a_pending_merchants_csv_script_never_runs_for_staff(live_server, browser):
    ProductClassFactory(name="Produit")
    # Complete but for the town's approval: approving it asks no confirmation of gaps.
    shop = ShopFactory(name="Fromagerie Pirate", status="pending", offers_click_collect=True)
    week_hours(shop)
    merchant_create(shop)
    script = approve_script(shop.pk)
    description = f'<p>Affinée</p><script>{script}</script><img src="x" onerror="{script}">'
    rows = io.StringIO()
    writer = csv.writer(rows, delimiter=";")
    writer.writerows([COLUMNS, ["PIRATE-1", "Tomme piégée", "5", "3", description]])
    upload = SimpleUploadedFile("offres.csv", rows.getvalue().encode(), content_type="text/csv")
    record = catalogue_csv_import(shop=shop, user=None, upload=upload)
    assert record.status == "applied", record.errors
    product = shop.stockrecords.get().product
    staff = commerce_staff_create(email="commerce@example.fr", password=PASSWORD)
    device = TOTPDevice.objects.create(user=staff, name="Application", confirmed=True)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    seen = watch(page)
    log_in(
        page, live_server.url, staff.email, reverse("moderation:product", args=[product.pk]), device
    )
    page.get_by_role("link", name="Voir la fiche publique").click()
    expect(page.get_by_role("heading", name="Tomme piégée")).to_be_visible()
    expect(page.get_by_text("Affinée")).to_be_visible()
    page.wait_for_load_state("networkidle")

    assert page.evaluate("window.__xss") is None
    assert not [line for line in seen if "dialog" in line]
    shop.refresh_from_db()
    assert shop.status == "pending"
    assert not ModerationEvent.objects.filter(shop=shop).exists()
    # The payload is no toy: run by hand in the staff's tab, it approves the shop.
    page.evaluate(f"async () => {{ {script.replace('fetch(', 'await fetch(', 1)} }}")
    shop.refresh_from_db()
    assert shop.status == "live"
    context.close()


def test_an_inline_script_slipped_into_a_page_is_blocked_by_the_policy(live_server, page):
    """As if a sanitiser were bypassed: the page's HTML gets a script without the nonce."""
    seen = watch(page)

    def inject(route):
        response = route.fetch()
        body = response.text().replace(
            "</body>",
            '<script>window.__xss=1</script><img src="x" onerror="window.__xss=2"></body>',
        )
        route.fulfill(response=response, body=body)

    page.route(re.compile(r".*/catalogue/$"), inject)
    page.goto(f"{live_server.url}/catalogue/")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("window.__xss") is None
    assert any("Content Security Policy" in line for line in seen), seen
    # The page's own scripts (files from our origin, deferred) ran: site.js fitted the menu.
    # No jQuery or Oscar's ui.js on a public page (the dashboard's, below, have them).
    expect(page.locator("ul.dx-catnav__list--fit")).to_have_count(1)
    assert page.evaluate("[typeof window.jQuery, typeof window.oscar]") == ["undefined"] * 2


def test_oscars_dashboard_javascript_works_under_the_policy(live_server, browser):
    """Oscar's product form is the superuser's (merchants have their own)."""
    from django.contrib.auth import get_user_model

    ProductClassFactory(name="Produit")
    admin = get_user_model().objects.create_superuser("admin", "admin@example.fr", PASSWORD)
    device = TOTPDevice.objects.create(user=admin, name="Application", confirmed=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    seen = watch(page)
    log_in(
        page, live_server.url, admin.email, "/dashboard/catalogue/products/create/produit/", device
    )

    # The description's rich-text editor (TinyMCE) started, and the tabs switch.
    expect(page.locator(".tox-tinymce").first).to_be_visible()
    page.locator('a[href="#product_stock"]').click()
    expect(page.locator("#id_stockrecords-0-partner_sku")).to_be_visible()
    # The dashboard's navigation dropdown opens (Bootstrap's JavaScript).
    page.locator(".navbar .dropdown-toggle").first.click()
    expect(page.locator(".navbar .dropdown-menu.show").first).to_be_visible()

    assert not [line for line in seen if "Content Security Policy" in line], "\n".join(seen)
    context.close()
