"""Oscar's product pages for a merchant: create with their offer and a photo, checked
photos, and never another shop's offer or product."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order
from PIL import Image

from shops.services import basket_offer_add, shop_moderate
from tests.factories import (
    ProductClassFactory,
    ProductFactory,
    ProductImageFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    commerce_staff_create,
    merchant_create,
    product_offered,
)
from tests.pages import picture, product_page_data

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Strategy = get_class("partner.strategy", "Default")


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


def new_product_data(client, category, photo) -> dict:
    data = product_page_data(client.get(create_url()))
    data.update(
        {
            "title": "Confiture de figues",
            "description": "Figues du jardin.",
            "productcategory_set-0-category": category.pk,
            "stockrecords-0-partner_sku": "CONF-FIG",
            "stockrecords-0-price": "5.40",
            "stockrecords-0-num_in_stock": "12",
            "images-0-original": photo,
        }
    )
    return data


def test_merchant_creates_a_product_with_their_offer_and_a_photo(client, category):
    shop = ShopFactory(name="Épicerie du Port", status="pending")
    client.force_login(merchant_create(shop))
    data = new_product_data(client, category, picture(size=(2000, 1500)))
    response = client.post(create_url(), data)
    assert response.status_code == 302, response.context and response.context["form"].errors

    product = Product.objects.get(title="Confiture de figues")
    offer = product.stockrecords.get()
    assert (offer.partner, offer.price, offer.num_in_stock) == (shop, Decimal("5.40"), 12)
    image = product.images.get()
    with image.original.open() as stored:
        assert Image.open(stored).size == (1600, 1200)  # re-encoded at the bounded size

    # Not on the public pages while the shop is pending, then there once it is live.
    client.logout()
    assert "Confiture de figues" not in client.get("/catalogue/").content.decode()
    staff = commerce_staff_create()
    shop_moderate(shop=shop, by=staff, action="approve", confirmed_gaps=("hours",))
    assert "Confiture de figues" in client.get("/catalogue/").content.decode()
    page = client.get(product.get_absolute_url())
    assert page.status_code == 200 and "Confiture de figues" in page.content.decode()


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
def test_a_bad_photo_is_refused_in_french_and_nothing_is_created(
    client, merchant, category, photo, message
):
    client.force_login(merchant)
    response = client.post(create_url(), new_product_data(client, category, photo()))
    assert response.status_code == 200
    errors = response.context["image_formset"].forms[0].errors["original"]
    assert message in errors[0]
    assert message in response.content.decode()
    assert not Product.objects.exists()
    assert not StockRecord.objects.exists()
    assert not ProductImage.objects.exists()


def test_a_bad_photo_leaves_an_existing_product_unchanged(client, merchant, shop, category):
    offer = StockRecordFactory(partner=shop, product=ProductFactory(title="Miel"))
    offer.product.categories.add(category)
    url = reverse("dashboard:catalogue-product", kwargs={"pk": offer.product.pk})
    client.force_login(merchant)
    data = product_page_data(client.get(url))
    data.update({"title": "Miel renommé", "images-0-original": bomb()})
    assert client.post(url, data).status_code == 200
    offer.product.refresh_from_db()
    assert offer.product.title == "Miel" and not offer.product.images.exists()


@pytest.fixture
def other_shop():
    return ShopFactory(name="Cave voisine")


def test_another_shops_product_is_out_of_reach(client, merchant, other_shop):
    theirs = StockRecordFactory(partner=other_shop, product=ProductFactory(title="Vin voisin"))
    product = theirs.product
    client.force_login(merchant)
    edit = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    delete = reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk})
    for url in (edit, delete):
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "Piraté"}).status_code == 404
    assert (
        "Vin voisin" not in client.get(reverse("dashboard:catalogue-product-list")).content.decode()
    )
    product.refresh_from_db()
    assert product.title == "Vin voisin"
    assert StockRecord.objects.filter(pk=theirs.pk, price=theirs.price).exists()


@pytest.fixture
def shared(shop, other_shop, category):
    """A product both shops offer."""
    product = ProductFactory(title="Huile d'olive")
    product.categories.add(category)
    mine = StockRecordFactory(partner=shop, product=product, partner_sku="MOI-1")
    theirs = StockRecordFactory(
        partner=other_shop, product=product, partner_sku="EUX-SECRET", price=Decimal("7.77")
    )
    return product, mine, theirs


def test_merchant_edits_only_their_offer_of_a_shared_product(client, merchant, shared):
    product, mine, theirs = shared
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    client.force_login(merchant)
    response = client.get(url)
    html = response.content.decode()
    assert "MOI-1" in html and "EUX-SECRET" not in html and "7,77" not in html
    assert [f.instance for f in response.context["stockrecord_formset"].initial_forms] == [mine]

    data = product_page_data(response)
    data["stockrecords-0-price"] = "6.10"
    response = client.post(url, data)
    assert response.status_code == 302, [
        (k, response.context[k].errors)
        for k in ("form", "stockrecord_formset", "image_formset", "category_formset")
    ]
    mine.refresh_from_db()
    assert mine.price == Decimal("6.10")

    data["stockrecords-0-id"] = theirs.pk  # a forged id of the other shop's offer
    data["stockrecords-0-price"] = "0.01"
    assert client.post(url, data).status_code == 200
    theirs.refresh_from_db()
    assert theirs.price == Decimal("7.77") and theirs.partner_sku == "EUX-SECRET"


def test_a_shared_products_own_fields_are_read_only_for_a_merchant(client, merchant, shared):
    product, mine, _theirs = shared
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    client.force_login(merchant)
    response = client.get(url)
    assert response.context["form"].fields["title"].disabled
    assert "vendent aussi ce produit" in response.content.decode()

    data = product_page_data(response)
    data.update({"title": "Huile de friture", "stockrecords-0-price": "6.20"})
    assert client.post(url, data).status_code == 302  # the title is ignored, the price saved
    product.refresh_from_db()
    mine.refresh_from_db()
    assert (product.title, mine.price) == ("Huile d'olive", Decimal("6.20"))

    data["images-0-original"] = picture(size=(800, 600))  # a photo on the shared product
    data["stockrecords-0-price"] = "9.99"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "vendent aussi ce produit" in response.content.decode()
    mine.refresh_from_db()
    assert not product.images.exists() and mine.price == Decimal("6.20")  # nothing changed


def test_a_product_only_the_merchant_sells_stays_fully_editable(client, merchant, shop, category):
    product = ProductFactory(title="Miel de sapin")
    product.categories.add(category)
    StockRecordFactory(partner=shop, product=product)
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    client.force_login(merchant)
    data = product_page_data(client.get(url))
    data["title"] = "Miel de sapin des Bauges"
    assert client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert product.title == "Miel de sapin des Bauges"


def test_deleting_a_shared_product_removes_only_the_merchants_offer(client, merchant, shared):
    product, mine, theirs = shared
    client.force_login(merchant)
    url = reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk})
    page = client.get(url)
    assert page.status_code == 200 and "Retirer mon offre" in page.content.decode()
    assert client.post(url).status_code == 302
    assert Product.objects.filter(pk=product.pk).exists()
    assert not StockRecord.objects.filter(pk=mine.pk).exists()
    assert StockRecord.objects.filter(pk=theirs.pk, is_on_sale=True).exists()


def order_of(offer):
    basket = Basket.objects.create()
    basket.strategy = Strategy()
    basket_offer_add(basket=basket, stockrecord=offer, quantity=1)
    return create_order(basket=basket)


def test_an_ordered_offer_is_withdrawn_not_deleted(client, merchant, shop):
    offer = StockRecordFactory(partner=shop, product=ProductFactory(title="Savon"))
    line = order_of(offer).lines.get()
    client.force_login(merchant)
    url = reverse("dashboard:catalogue-product-delete", kwargs={"pk": offer.product.pk})
    assert client.post(url).status_code == 302
    offer.refresh_from_db()
    assert offer.is_on_sale is False
    line.refresh_from_db()
    assert line.stockrecord == offer and line.product == offer.product


def test_an_ordered_offer_ticked_for_deletion_in_the_form_is_withdrawn(
    client, merchant, shop, category
):
    offer = StockRecordFactory(partner=shop, product=ProductFactory(title="Bougie"))
    offer.product.categories.add(category)
    order_of(offer)
    url = reverse("dashboard:catalogue-product", kwargs={"pk": offer.product.pk})
    client.force_login(merchant)
    data = product_page_data(client.get(url))
    data["stockrecords-0-DELETE"] = "on"
    data["stockrecords-1-partner"] = shop.pk  # Oscar wants an offer of the merchant's shop
    data.update({"stockrecords-1-price": "3.00", "stockrecords-1-num_in_stock": "1"})
    data["stockrecords-1-partner_sku"] = "BOUGIE-2"
    data["stockrecords-1-price_currency"] = "EUR"
    data["stockrecords-TOTAL_FORMS"] = 2
    assert client.post(url, data).status_code == 302
    offer.refresh_from_db()
    assert offer.is_on_sale is False


def test_deleting_a_product_only_the_merchant_offered_deletes_it(client, merchant, shop):
    offer = StockRecordFactory(partner=shop, product=ProductFactory(title="Bocal"))
    client.force_login(merchant)
    url = reverse("dashboard:catalogue-product-delete", kwargs={"pk": offer.product.pk})
    assert client.post(url).status_code == 302
    assert not Product.objects.filter(pk=offer.product.pk).exists()


def test_merchant_cannot_change_a_products_public_status(client, merchant, shared):
    product, _mine, _theirs = shared
    client.force_login(merchant)
    for action in ("make_products_public", "make_products_non_public"):
        data = {"action": action, "selected_products": [product.pk]}
        response = client.post(reverse("dashboard:catalogue-product-bulk-action"), data)
        assert response.status_code == 403
        response = client.post(reverse("dashboard:catalogue-product-list"), data)
        assert response.status_code in (302, 403)
    product.refresh_from_db()
    assert product.is_public is True


def test_product_list_runs_a_constant_number_of_queries(
    client, merchant, shop, other_shop, monkeypatch
):
    from django.core.cache import caches

    # sorl-thumbnail keeps where each thumbnail is in the cache: the test's small local
    # cache (300 entries) must not evict them, as a real cache server would not.
    monkeypatch.setattr(caches["default"], "_max_entries", 100_000)
    url = reverse("dashboard:catalogue-product-list")
    client.force_login(merchant)

    def add(count: int) -> None:
        for _ in range(count):
            offer = StockRecordFactory(partner=shop, product=ProductFactory())
            StockRecordFactory(partner=other_shop, product=offer.product)
            ProductImageFactory(product=offer.product)

    def measure(shown: int) -> int:
        client.get(url, {"per_page": 100})  # thumbnails are made once, on the first visit
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"per_page": 100})
        assert response.status_code == 200
        assert len(response.context["products"].page.object_list) == shown
        return len(captured.captured_queries)

    add(10)
    with_10 = measure(10)
    add(90)
    with_100 = measure(100)
    print("product list queries:", with_10, with_100)
    assert with_10 == with_100


# --- The product lookup (the product form's search of the shared catalogue) ------------------


def lookup(client, **params) -> list[str]:
    response = client.get(reverse("dashboard:catalogue-product-lookup"), params)
    assert response.status_code == 200
    return sorted(row["text"] for row in response.json()["results"])


def test_lookup_finds_own_and_live_shops_public_products_only(client, shop, merchant):
    from shops.services import product_moderate

    shop.status = "pending"  # the merchant's own shop is not open yet: still theirs
    shop.save()
    product_offered(title="Miel de mon rucher", shop=shop)
    product_offered(title="Miel du marché", shop=ShopFactory(status="live"))
    product_offered(title="Miel en attente", shop=ShopFactory(status="pending"))
    product_offered(title="Miel suspendu", shop=ShopFactory(status="suspended"))
    withdrawn = product_offered(title="Miel retiré", shop=ShopFactory(status="live"))
    product_moderate(
        product=withdrawn, by=commerce_staff_create(), action="withdraw", reason="Étiquette"
    )
    client.force_login(merchant)
    assert lookup(client, q="miel") == ["Miel de mon rucher", "Miel du marché"]
    hidden = Product.objects.get(title="Miel en attente")
    assert lookup(client, initial=f"{hidden.pk},x") == []


def test_lookup_refuses_bad_paging_without_error(client, shop, merchant):
    for n in range(3):
        product_offered(title=f"Pain {n}", shop=shop)
    client.force_login(merchant)
    assert len(lookup(client, page="abc", page_limit="-4")) == 3
    response = client.get(reverse("dashboard:catalogue-product-lookup"), {"page_limit": "2"})
    assert len(response.json()["results"]) == 2 and response.json()["pagination"]["more"]
