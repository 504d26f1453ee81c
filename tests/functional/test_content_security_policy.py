"""Every page carries a strict Content-Security-Policy, and its inline script the nonce."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ShopFactory, merchant_create, product_offered

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>", re.I)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_strict(response) -> None:
    policy = directives(response)
    # A nonce only on pages with an inline script (the spaces have none).
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert policy["script-src"] == ["'self'", *nonces] and len(nonces) <= 1
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["style-src"] == ["'self'"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    # Every inline script of the page carries this response's nonce; no inline handler.
    html = response.content.decode()
    for match in SCRIPT.finditer(html):
        if "src=" not in match["attrs"]:
            assert nonces and f'nonce="{nonces[0][7:-1]}"' in match["attrs"], match[0]
    assert not re.search(r"<[^>]+\son(click|load|error|change|submit)=", html)


@pytest.mark.django_db
def test_public_pages_send_a_strict_policy_with_the_pages_own_nonce(client):
    shop = ShopFactory(name="Fromagerie du Lac", status="live", code="fromagerie-du-lac")
    product = product_offered(title="Tomme", shop=shop)
    for url in ("/", "/catalogue/", product.get_absolute_url(), "/boutiques/", "/basket/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_strict(response)


@pytest.mark.django_db
def test_merchant_dashboard_pages_send_the_strict_policy_too(client):
    shop = ShopFactory(name="Fromagerie du Lac", code="fromagerie-du-lac")
    merchant = merchant_create(shop, password="secret-pass-42")
    client.force_login(merchant)
    for url in (f"/ma-boutique/{shop.code}/", f"/ma-boutique/{shop.code}/profil/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


@pytest.mark.django_db
def test_two_responses_never_share_a_nonce(client):
    """On a page with an inline script: a product's, its JSON-LD (the public pages' scripts are
    files, and a page without an inline script sends no nonce at all)."""
    product = product_offered(title="Tomme", shop=ShopFactory(status="live"))
    first, second = client.get(product.get_absolute_url()), client.get(product.get_absolute_url())
    nonces = [
        [v for v in directives(response)["script-src"] if v.startswith("'nonce-")]
        for response in (first, second)
    ]
    assert all(nonces) and nonces[0] != nonces[1]


@pytest.mark.django_db
def test_a_public_page_without_inline_script_allows_none(client):
    response = client.get("/catalogue/")
    assert directives(response)["script-src"] == ["'self'"]
    assert "<script nonce" not in response.content.decode()


def test_report_only_switch_reports_without_blocking_and_media_origins_are_allowed():
    probe = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps([getattr(settings, 'CONTENT_SECURITY_POLICY', None) is None,"
        " str(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['report-uri']),"
        " settings.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['img-src'][-1]]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "digitaix.settings",
        "DJANGO_CSP_REPORT_ONLY": "true",
        "DJANGO_CSP_REPORT_URI": "https://reports.example.fr/csp",
        "DJANGO_CSP_IMG_SRC": "https://media.example.fr",
    }
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [
        True,
        "['https://reports.example.fr/csp']",
        "https://media.example.fr",
    ]


def test_no_template_marks_text_safe_outside_the_sanitiser():
    """`|safe` and `autoescape off` are reserved: rich text goes through `|rich_text`."""
    allowed = {
        # Messages tagged "safe" are built by our code with format_html / escaped templates.
        "templates/oscar/partials/alert_messages.html",
    }
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        name = str(path.relative_to(ROOT))
        if ("|safe" in text or "autoescape off" in text) and name not in allowed:
            offenders.append(name)
    assert offenders == []


def test_no_code_marks_text_safe_outside_the_sanitisers_module():
    """`mark_safe` stands only in catalog/text.py: the sanitiser's own output and the JSON
    data block with every <, > and & escaped (tests/unit/test_rich_text.py)."""
    apps = ("accounts", "catalog", "delivery", "digitaix", "messaging", "orders", "shops")
    offenders = [
        str(path.relative_to(ROOT))
        for app in apps
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        and ("mark_safe(" in path.read_text() or "SafeString(" in path.read_text())
    ]
    assert offenders == ["catalog/text.py"]


# Oscar's templates that still print `|safe` and that we do not replace, each reviewed: none
# prints text a merchant or resident typed. A new one (an Oscar upgrade) fails this test.
OSCAR_SAFE_REVIEWED = {
    "oscar/catalogue/reviews/review_form.html": "a form label, our code's",
    "oscar/checkout/checkout.html": "a shipping method's description, our code's",
    "oscar/communication/email/email_detail.html": "inside <iframe>: fallback text, never run",
    "oscar/dashboard/offers/offer_detail.html": "offers, written by superusers",
    "oscar/dashboard/offers/offer_list.html": "offers, written by superusers",
    "oscar/dashboard/offers/summary.html": "offers, written by superusers",
    "oscar/dashboard/partials/alert_messages.html": "messages tagged safe, built escaped",
    "oscar/dashboard/partials/form_field.html": "form labels and help texts, our code's",
    "oscar/dashboard/shipping/weight_based_detail.html": "shipping methods, superusers'",
    "oscar/dashboard/vouchers/voucher_detail.html": "offers, written by superusers",
    "oscar/dashboard/vouchers/voucher_set_detail.html": "offers, written by superusers",
    "oscar/offer/detail.html": "offers, written by superusers",
    "oscar/offer/list.html": "offers, written by superusers",
    "oscar/offer/range.html": "ranges, written by superusers",
    "oscar/partials/form_field.html": "form labels and help texts, our code's",
}


def test_oscars_templates_marking_text_safe_are_replaced_or_reviewed():
    import oscar

    oscar_templates = Path(oscar.__file__).parent / "templates"
    unreviewed = []
    for path in sorted(oscar_templates.rglob("*.html")):
        name = str(path.relative_to(oscar_templates))
        text = path.read_text()
        if "|safe" not in text and "autoescape off" not in text:
            continue
        if not (ROOT / "templates" / name).exists() and name not in OSCAR_SAFE_REVIEWED:
            unreviewed.append(name)
    assert unreviewed == []
