"""Nothing a merchant or resident writes reaches a page as markup (issue 12, part 2).

A script and an `onerror` payload go into every field they can fill: the shop's profile, the
merchant's and the resident's names, a product and its CSV cells, a review, a delivery
address, a refusal reason. Then every public, merchant and staff page that shows them is
walked: each shows the text, escaped or cleaned, never as a tag a browser would run.
"""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from orders.services import shop_order_transition
from shops.catalogue_io import catalogue_csv_import
from tests.checkout import checkout, zone_create
from tests.factories import (
    ClosingPeriodFactory,
    ProductClassFactory,
    ShopFactory,
    category_create,
    commerce_staff_create,
    merchant_create,
    week_hours,
)

pytestmark = pytest.mark.django_db

ProductReview = get_model("reviews", "ProductReview")
Notification = get_model("communication", "Notification")
SCRIPT = '<script>alert("xss")</script>'
IMG = "<img src=x onerror=alert(1)>"
PAYLOAD = f'"><{SCRIPT[1:]}{IMG}'
SHORT = "<svg onload=alert(1)>"  # for the short columns (20 characters)
# What must never appear in a page: the payloads' tags, live.
LIVE = ("<script>alert", "<img src=x onerror", "<svg onload")


def assert_inert(response, url: str) -> str:
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    for tag in LIVE:
        assert tag not in html, (url, tag)
    return html


def csv_upload(rows: list[list[str]]) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(
        [["sku", "titre", "prix", "stock", "en_vente", "categorie", "description"], *rows]
    )
    return SimpleUploadedFile("offres.csv", out.getvalue().encode(), content_type="text/csv")


@pytest.fixture(autouse=True)
def _fast(settings, eager_celery):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town(client):
    """One live delivering shop and one resident's order, every user-typed field poisoned."""
    ProductClassFactory(name="Produit")
    category_create("Crèmerie")
    shop = ShopFactory(
        name=f"Fromagerie {SHORT}",
        status="live",
        offers_delivery=True,
        description=PAYLOAD,
        address_line=PAYLOAD,
        city=PAYLOAD,
        phone=SHORT[:20],
    )
    week_hours(shop, days=range(7), spans=((8, 20),))
    ClosingPeriodFactory(shop=shop, reason=PAYLOAD[:200])
    merchant = merchant_create(shop, email="fromager@example.fr")
    get_user_model().objects.filter(pk=merchant.pk).update(first_name=PAYLOAD, last_name=PAYLOAD)
    upload = csv_upload([["T-1", f"Tomme {PAYLOAD}", "9", "20", "oui", "Crèmerie", PAYLOAD]])
    assert catalogue_csv_import(shop=shop, user=merchant, upload=upload).status == "applied"
    product = shop.stockrecords.get().product
    resident = get_user_model().objects.create_user(
        "camille", "camille@example.fr", "x", first_name=PAYLOAD, last_name=PAYLOAD
    )
    ProductReview.objects.create(
        product=product, user=resident, score=4, title=PAYLOAD, body=PAYLOAD, status=1
    )
    zone_create(minimum="0.00")
    client.force_login(resident)
    address = {
        "first_name": PAYLOAD,
        "last_name": PAYLOAD,
        "line1": PAYLOAD,
        "line4": "Aix-les-Bains",
        "postcode": "73100",
        "phone_number": "06 12 34 56 78",
        "notes": PAYLOAD,
    }
    order = checkout(client, product, modes={shop.pk: "delivery"}, address=address, quantity=1)
    (shop_order,) = order.shop_orders.all()
    shop_order_transition(shop_order=shop_order, to_status="refused", reason=PAYLOAD)
    client.logout()
    return {
        "shop": shop,
        "merchant": merchant,
        "product": product,
        "resident": resident,
        "order": order,
        "shop_order": shop_order,
    }


def walk(client, urls: list[str]) -> dict[str, str]:
    return {url: assert_inert(client.get(url), url) for url in urls}


def test_public_pages_show_user_text_inert(client, town):
    shop, product = town["shop"], town["product"]
    pages = walk(
        client,
        [
            "/",
            reverse("shops:directory"),
            reverse("shops:storefront", kwargs={"slug": shop.code}),
            "/catalogue/",
            product.get_absolute_url(),
            f"/search/?q={PAYLOAD}",
            reverse(
                "catalogue:reviews-list",
                kwargs={"product_slug": product.slug, "product_pk": product.pk},
            ),
        ],
    )
    shown = pages[product.get_absolute_url()]
    assert "Tomme &quot;&gt;&lt;script&gt;" in shown  # the title, escaped
    assert "&lt;script&gt;alert" in pages[reverse("shops:storefront", kwargs={"slug": shop.code})]


def test_the_residents_pages_show_user_text_inert(client, town):
    client.force_login(town["resident"])
    number = town["order"].number
    # A notification quoting a merchant's text (Oscar's product alerts): printed cleaned.
    note = Notification.objects.create(
        recipient=town["resident"], subject=f"Tomme {SHORT}", body=f"<p>De retour</p>{PAYLOAD}"
    )
    walk(client, ["/accounts/notifications/inbox/", f"/accounts/notifications/{note.pk}/"])
    pages = walk(
        client,
        [
            "/accounts/profile/",
            "/accounts/addresses/",
            "/accounts/orders/",
            f"/accounts/orders/{number}/",
        ],
    )
    assert "&lt;script&gt;alert" in pages[f"/accounts/orders/{number}/"]  # the refusal reason


def test_the_merchants_pages_show_user_text_inert(client, town):
    shop, product, shop_order = town["shop"], town["product"], town["shop_order"]
    client.force_login(town["merchant"])
    walk(
        client,
        [
            reverse("space:today", kwargs={"slug": shop.code}),
            reverse("merchant:profile", kwargs={"slug": shop.code}),
            reverse("merchant:products", kwargs={"slug": shop.code}),
            reverse("merchant:products", kwargs={"slug": shop.code}) + f"?q={PAYLOAD}",
            reverse("merchant:product-add", kwargs={"slug": shop.code}) + f"?q={PAYLOAD}",
            reverse("merchant:product-add", kwargs={"slug": shop.code}) + "?q=Tomme",
            reverse(
                "merchant:product-edit",
                kwargs={"slug": shop.code, "pk": product.stockrecords.get().pk},
            ),
            reverse("merchant:hours", kwargs={"slug": shop.code}),
            reverse("merchant:csv-import", kwargs={"slug": shop.code}),
            reverse("merchant:team", kwargs={"slug": shop.code}),
            reverse("shop-orders:list", kwargs={"slug": shop.code}),
            reverse("shop-orders:detail", kwargs={"slug": shop.code, "number": shop_order.number}),
            reverse("shop-orders:slip", kwargs={"slug": shop.code, "number": shop_order.number}),
            reverse("shop-orders:pickups", kwargs={"slug": shop.code}),
            reverse("space:today-poll", kwargs={"slug": shop.code}),
        ],
    )


def test_the_staffs_pages_show_user_text_inert(client, town):
    shop, product = town["shop"], town["product"]
    client.force_login(commerce_staff_create())
    walk(
        client,
        [
            reverse("space:staff-home"),
            reverse("moderation:queue"),
            reverse("moderation:shop", kwargs={"pk": shop.pk}),
            reverse("moderation:shop-location", kwargs={"pk": shop.pk}),
            reverse("moderation:products"),
            reverse("moderation:product", kwargs={"pk": product.pk}),
            reverse("moderation:log"),
            product.get_absolute_url(),
            reverse("delivery-board:index"),
            reverse("console:index"),
        ],
    )


def test_oscars_own_dashboard_pages_show_user_text_inert_to_a_superuser(client, town):
    product = town["product"]
    admin = get_user_model().objects.create_superuser("admin", "admin@example.fr", "x")
    client.force_login(admin)
    walk(
        client,
        [
            "/dashboard/",
            "/dashboard/orders/",
            reverse("dashboard:order-detail", kwargs={"number": town["order"].number}),
            "/dashboard/catalogue/",
            reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}),
            "/dashboard/users/",
            reverse("dashboard:user-detail", kwargs={"pk": town["resident"].pk}),
            "/dashboard/reviews/",
            "/dashboard/partners/",
            reverse("dashboard:partner-manage", kwargs={"pk": town["shop"].pk}),
        ],
    )


def test_a_flatpage_prints_its_title_escaped_and_its_content_cleaned(client):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    page = FlatPage.objects.create(
        url="/pages/aide/", title=PAYLOAD, content=f"<p>Comment commander</p>{PAYLOAD}"
    )
    page.sites.add(Site.objects.get_current())
    html = assert_inert(client.get("/pages/aide/"), "/pages/aide/")
    assert "<p>Comment commander</p>" in html


def test_the_product_form_and_the_import_page_store_descriptions_cleaned(client):
    """The two ways a merchant writes a description, through their real pages: the product
    form takes plain text (stored escaped, as paragraphs), the import HTML (cleaned)."""
    Product = get_model("catalogue", "Product")
    shop = ShopFactory(name="Épicerie du Port", status="pending")
    client.force_login(merchant_create(shop))
    url = reverse("merchant:product-add", kwargs={"slug": shop.code})
    data = {
        "creer": "1",
        "title": f"Confiture {PAYLOAD}",
        "description": f"<p>Figues</p>{PAYLOAD}",
        "category": category_create("Épicerie").pk,
        "price": "5,40",
        "num_in_stock": "12",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get(title__startswith="Confiture")
    assert "<script" not in product.description and "&lt;script&gt;" in product.description
    edit = reverse(
        "merchant:product-edit", kwargs={"slug": shop.code, "pk": product.stockrecords.get().pk}
    )
    assert_inert(client.get(edit), edit)

    upload = csv_upload([["MIEL-1", "Miel", "7", "3", "oui", "", f"<p>Lavande</p>{PAYLOAD}"]])
    client.post(reverse("merchant:csv-import", kwargs={"slug": shop.code}), {"file": upload})
    assert Product.objects.get(title="Miel").description == '<p>Lavande</p>"&gt;'


def test_the_shop_profile_form_refuses_a_script_link_and_keeps_text_as_text(client):
    """The profile's description is plain text: stored as typed, printed escaped; a website
    must be an http(s) address, never `javascript:`."""
    shop = ShopFactory(name="Fromagerie du Lac", code="fromagerie-du-lac", status="live")
    client.force_login(merchant_create(shop))
    url = reverse("merchant:profile", kwargs={"slug": shop.code})
    data = {
        "name": shop.name,
        "trade": "fromagerie",
        "description": PAYLOAD,
        "address_line": PAYLOAD,
        "postcode": "73100",
        "city": "Aix-les-Bains",
        "phone": "04 79 00 00 00",
        "email": "lac@example.fr",
        "website": "javascript:alert(1)",
        "siret": "73282932000074",
        "offers_click_collect": "on",
        "pickup_lead_minutes": "60",
        "pickup_slot_minutes": "30",
        "pickup_slot_capacity": "4",
    }
    refused = client.post(url, data)
    assert_inert(refused, url)
    assert "Saisissez une URL valide" in refused.content.decode()
    shop.refresh_from_db()
    assert (shop.description, shop.website) == ("", "")

    response = client.post(url, data | {"website": "https://fromagerie.example.fr"})
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.description == PAYLOAD
    storefront = reverse("shops:storefront", kwargs={"slug": shop.code})
    assert "&lt;script&gt;alert" in assert_inert(client.get(storefront), storefront)


def test_oscars_safe_tagged_basket_message_escapes_the_product_title(client):
    """Oscar renders the messages it tags "safe" from autoescaped templates, so a merchant's
    product title in "added to your basket" is escaped there, never printed as markup."""
    from tests.factories import ShopFactory, product_offered

    product = product_offered(title=PAYLOAD, shop=ShopFactory(name="Boutique"))
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}, follow=True
    )
    html = response.content.decode()
    assert "a été ajouté" in html or "added to your basket" in html
    assert SCRIPT not in html and IMG not in html


def test_a_safe_tagged_message_goes_through_the_sanitiser():
    """alert_messages.html keeps a "safe" message's HTML only through the one sanitiser
    (`|rich_text`): should one ever carry raw user markup, its script is gone."""
    from django.contrib.messages.storage.base import Message
    from django.template.loader import render_to_string

    message = Message(25, f"<strong>Ajouté</strong> {SCRIPT}{IMG}", extra_tags="safe")
    html = render_to_string("oscar/partials/alert_messages.html", {"messages": [message]})
    assert "<strong>Ajouté</strong>" in html
    assert SCRIPT not in html and IMG not in html and "onerror" not in html
