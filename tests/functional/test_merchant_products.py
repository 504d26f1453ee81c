"""Oscar's product screens are the superuser's: a merchant adds and edits products from
/ma-boutique/<shop>/produits/ (test_merchant_product_add/edit). A superuser's photos there
are checked like a merchant's (catalog.dashboard_forms)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import (
    ProductClassFactory,
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    merchant_create,
)
from tests.pages import picture, product_page_data

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shop():
    return ShopFactory(name="Épicerie du Port")


@pytest.fixture
def merchant(shop):
    return merchant_create(shop, email="port@example.fr")


@pytest.fixture
def category():
    return category_create("Épicerie")


def create_url() -> str:
    return reverse(
        "dashboard:catalogue-product-create",
        kwargs={"product_class_slug": ProductClassFactory().slug},
    )


def test_oscars_product_screens_refuse_a_merchant_even_on_their_own_product(client, merchant, shop):
    mine = StockRecordFactory(partner=shop, product=ProductFactory(title="Miel"))
    client.force_login(merchant)
    product = mine.product
    for url in (
        reverse("dashboard:catalogue-product-list"),
        create_url(),
        reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}),
        reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk}),
        reverse("dashboard:catalogue-product-lookup"),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "Piraté"}).status_code == 403, url
    product.refresh_from_db()
    assert product.title == "Miel" and StockRecord.objects.filter(pk=mine.pk).exists()


def test_the_merchants_pages_link_to_their_own_product_form(client, merchant, shop):
    client.force_login(merchant)
    today = client.get(reverse("space:today", kwargs={"slug": shop.code})).content.decode()
    assert reverse("merchant:product-add", kwargs={"slug": shop.code}) in today  # checklist
    mine = StockRecordFactory(partner=shop, product=ProductFactory(title="Miel"))
    html = client.get(reverse("merchant:products", kwargs={"slug": shop.code})).content.decode()
    assert reverse("merchant:product-edit", kwargs={"slug": shop.code, "pk": mine.pk}) in html
    assert "/dashboard/catalogue/" not in html


@pytest.fixture
def superuser(client):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.fr", "x" * 12)
    client.force_login(admin)
    return admin


def new_product_data(client, category, photo, shop) -> dict:
    data = product_page_data(client.get(create_url()))
    data.update(
        {
            "title": "Confiture de figues",
            "description": "Figues du jardin.",
            "productcategory_set-0-category": category.pk,
            "stockrecords-0-partner": shop.pk,
            "stockrecords-0-partner_sku": "CONF-FIG",
            "stockrecords-0-price": "5.40",
            "stockrecords-0-num_in_stock": "12",
            "images-0-original": photo,
        }
    )
    return data


def bomb() -> SimpleUploadedFile:
    return picture("PNG", (10_000, 5_000), "1", "bombe.png")  # 50 megapixels in a few KB


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (lambda: SimpleUploadedFile("photo.jpg", b"pas une image"), "JPEG, PNG ou WebP"),
        (lambda: picture("GIF", (10, 10), "P", "anim.gif"), "JPEG, PNG ou WebP"),
        (lambda: SimpleUploadedFile("grosse.jpg", b"\xff" * (11 * 1024 * 1024)), "10 Mo"),
        (bomb, "40 mégapixels"),
    ],
    ids=["text-as-jpg", "gif", "too-heavy", "png-bomb"],
)
def test_a_bad_photo_is_refused_in_french_in_oscars_form_too(
    client, superuser, shop, category, photo, message
):
    response = client.post(create_url(), new_product_data(client, category, photo(), shop))
    assert response.status_code == 200
    errors = response.context["image_formset"].forms[0].errors["original"]
    assert message in errors[0]
    assert not Product.objects.exists()
    assert not StockRecord.objects.exists()
    assert not ProductImage.objects.exists()


def test_a_photo_saved_in_oscars_form_gets_its_renditions(
    client, superuser, shop, category, django_capture_on_commit_callbacks, eager_celery
):
    photo = picture("JPEG", (2400, 1800), name="figues.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(), new_product_data(client, category, photo, shop))
    assert response.status_code == 302
    image = ProductImage.objects.get()
    assert image.renditions_of == image.original.name  # 1600 × 1200 once re-encoded
    assert image.renditions == [[400, 400, 300], [800, 800, 600]]
