"""Light public pages (issue 15, §5): one stylesheet of our own, script files of our own loaded
with `defer`, and none of Oscar's styles.css, jQuery, Bootstrap or ui.js; Oscar's dashboard,
which needs them, keeps them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.checkout import basket_fill
from tests.factories import ShopFactory, product_offered, week_hours

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(r"<link[^>]*rel=\"stylesheet\"[^>]*href=\"(?P<href>[^\"]+)\"", re.I)
SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>", re.I)
HEAVY = ("oscar/css/styles", "jquery", "bootstrap", "oscar/js/oscar/ui")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def assets(html: str) -> tuple[list[str], list[str], list[str]]:
    """The page's stylesheets, its script files, and the attributes of its inline scripts."""
    sheets = STYLESHEET.findall(html)
    files, inline = [], []
    for match in SCRIPT.finditer(html):
        src = re.search(r'\ssrc="([^"]+)"', match["attrs"])
        (files if src else inline).append(src[1] if src else match["attrs"])
    return sheets, files, inline


def assert_light(response) -> None:
    html = response.content.decode()
    sheets, files, inline = assets(html)
    assert sheets == ["/static/digitaix/css/site.css"], sheets
    assert files and all(f.startswith("/static/digitaix/js/") for f in files), files
    assert not [url for url in sheets + files if any(name in url for name in HEAVY)]
    # Scripts never hold the page up: every file is deferred...
    for match in SCRIPT.finditer(html):
        if " src=" in match["attrs"]:
            assert " defer" in match["attrs"], match[0]
    # ...and the only inline scripts are data (JSON-LD), not code calling jQuery.
    assert all('type="application/ld+json"' in attrs for attrs in inline), inline


@pytest.fixture
def town():
    shop = ShopFactory(name="Fromagerie du Lac", code="fromagerie-du-lac")
    week_hours(shop, days=range(7), spans=((8, 20),))
    return {"shop": shop, "tomme": product_offered(title="Tomme de Savoie", shop=shop)}


def test_public_pages_load_our_stylesheet_and_deferred_scripts_only(client, town):
    basket_fill(client, town["tomme"], quantity=1)
    for url in (
        "/",
        reverse("catalogue:index"),
        town["tomme"].get_absolute_url(),
        reverse("shops:storefront", kwargs={"slug": town["shop"].code}),
        reverse("search:search") + "?q=tomme",
        reverse("basket:summary"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_light(response)


def test_checkout_first_step_is_light_too(client, town):
    resident = get_user_model().objects.create_user("camille", "camille@example.fr", "x")
    client.force_login(resident)
    basket_fill(client, town["tomme"], quantity=1)
    response = client.get(reverse("checkout:shipping-method"))
    assert response.status_code == 200
    assert_light(response)


def test_the_basket_still_carries_the_hooks_its_script_reads(client, town):
    """static/digitaix/js/oscar-ui.js ticks a line's hidden box by its id and sends the form."""
    basket_fill(client, town["tomme"], quantity=1)
    html = client.get(reverse("basket:summary")).content.decode()
    assert 'id="basket_formset"' in html
    assert 'data-id="0" data-behaviours="remove"' in html
    assert 'id="id_form-0-DELETE"' in html


def test_removing_a_line_without_ajax_empties_the_basket(client, town):
    """What the "Retirer" link sends (oscar-ui.js, no AJAX): the formset with the box ticked."""
    basket_fill(client, town["tomme"], quantity=1)
    page = client.get(reverse("basket:summary"))
    line = page.context["formset"].forms[0]
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.instance.pk),
        "form-0-quantity": "1",
        "form-0-DELETE": "on",
    }
    response = client.post(reverse("basket:summary"), data, follow=True)
    assert response.status_code == 200
    assert response.context["basket"].is_empty


def test_oscars_dashboard_keeps_jquery_and_bootstrap_for_superusers(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.fr", "x")
    client.force_login(admin)
    response = client.get(reverse("dashboard:index"), follow=True)
    assert response.status_code == 200
    _, files, inline = assets(response.content.decode())
    assert any("jquery" in f for f in files) and any("oscar/js/oscar/ui" in f for f in files)
    assert any("bootstrap" in f for f in files)
    assert inline  # its onbodyload, jQuery's ready() with the page's nonce
