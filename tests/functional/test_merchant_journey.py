"""The whole merchant journey through the real pages, as two people would click it:
a shopkeeper signs up, prepares a product with its stock and a photo, the town approves the
shop from its moderation queue, and the product is then on the public catalogue, the
storefront and the search results (and nowhere public before)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.accounts import APPROVE_DESPITE_GAPS, verification_path
from tests.factories import ProductClassFactory, category_create, commerce_staff_create
from tests.pages import picture

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")

SIGNUP = {
    "first_name": "Élise",
    "last_name": "Martin",
    "email": "elise@example.fr",
    "password1": "fromage-de-savoie-42",
    "password2": "fromage-de-savoie-42",
    "name": "Fromagerie du Lac",
    "trade": "fromagerie",
    "siret": "732 829 320 00074",
    "address_line": "3 place du Marché",
    "postcode": "73100",
    "city": "Aix-les-Bains",
    "phone": "04 79 00 00 00",
    "offers_click_collect": "on",
}


@pytest.fixture(autouse=True)
def _setup(eager_celery, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def public_pages(client: Client, shop) -> dict[str, str]:
    return {
        "catalogue": client.get("/catalogue/").content.decode(),
        "search": client.get("/search/", {"q": "tomme"}).content.decode(),
        "directory": client.get(reverse("shops:directory")).content.decode(),
    }


def test_sign_up_then_approval_then_product_online(client, django_capture_on_commit_callbacks):
    category = category_create("Crèmerie")
    ProductClassFactory()

    # 1. The shopkeeper signs up: a pending shop, a welcome e-mail and the link proving their
    # address; they sign in and find the checklist.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("merchant-signup"), SIGNUP)
    assert response.status_code == 302
    shop = Partner.objects.get(code="fromagerie-du-lac")
    assert shop.status == "pending"
    assert [m.to for m in mail.outbox] == [["elise@example.fr"]] * 2
    password = SIGNUP["password1"]
    client.post("/dashboard/login/", {"username": SIGNUP["email"], "password": password})
    home = client.get(reverse("dashboard:index"), follow=True).content.decode()
    assert "Premier produit" in home or "premier produit" in home

    # 2. They prepare a product with its price, stock and a photo while they wait.
    create = reverse("merchant:product-add", kwargs={"slug": shop.code})
    assert client.get(create).status_code == 200
    data = {
        "creer": "1",
        "title": "Tomme de Savoie",
        "description": "Affinée trois mois.",
        "category": category.pk,
        "price": "18,50",
        "num_in_stock": "7",
        "is_on_sale": "on",
        "photo": picture("JPEG", (1200, 900), name="tomme.jpg"),
    }
    with django_capture_on_commit_callbacks(execute=True):  # the search text is refreshed then
        response = client.post(create, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    product = Product.objects.get(title="Tomme de Savoie")

    # Nothing of a pending shop is public.
    visitor = Client()
    for name, html in public_pages(visitor, shop).items():
        assert "Tomme de Savoie" not in html and "Fromagerie du Lac" not in html, name
    assert visitor.get(product.get_absolute_url()).status_code == 404

    # 3. Once the merchant opened the link, the town's commerce staff see the shop in their
    # queue and approve it.
    staff = Client()
    staff.force_login(commerce_staff_create())
    assert "Fromagerie du Lac" not in staff.get(reverse("moderation:queue")).content.decode()
    assert client.get(verification_path(mail.outbox)).status_code == 302
    queue = staff.get(reverse("moderation:queue")).content.decode()
    assert "Fromagerie du Lac" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("moderation:shop", kwargs={"pk": shop.pk}),
            {"action": "approve", **APPROVE_DESPITE_GAPS},
        )
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == "live"
    assert mail.outbox[-1].to == ["elise@example.fr"]

    # 4. The product is online: catalogue, search, directory, storefront, product page.
    pages = public_pages(visitor, shop)
    assert "Tomme de Savoie" in pages["catalogue"] and "Tomme de Savoie" in pages["search"]
    assert "Fromagerie du Lac" in pages["directory"]
    storefront = visitor.get(reverse("shops:storefront", kwargs={"slug": shop.code}))
    assert "Tomme de Savoie" in storefront.content.decode()
    page = visitor.get(product.get_absolute_url()).content.decode()
    assert "Tomme de Savoie" in page and "18,50" in page
