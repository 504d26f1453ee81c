"""'Ajouter un produit' in one screen: the shared catalogue first (by name or EAN), "Je vends
aussi ce produit", else one form for a new product; the categories' type-ahead."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from catalog.services import product_search_refresh
from shops.services import product_moderate
from tests.factories import (
    ProductClassFactory,
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    commerce_staff_create,
    merchant_create,
    product_offered,
)
from tests.pages import picture

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
EAN = "3760123456784"  # a valid EAN-13 (its last digit checks)


@pytest.fixture
def shop():
    return ShopFactory(name="Boulangerie du Lac", status="live")


@pytest.fixture
def merchant(client, shop):
    user = merchant_create(shop)
    client.force_login(user)
    return user


@pytest.fixture
def pains():
    ProductClassFactory(name="Produit")
    return category_create("Pains", parent=category_create("Boulangerie"))


def add_url(shop, q: str | None = None) -> str:
    base = reverse("merchant:product-add", kwargs={"slug": shop.code})
    return base if q is None else f"{base}?q={q}"


def products_url(shop) -> str:
    return reverse("merchant:products", kwargs={"slug": shop.code})


def new_product(**overrides) -> dict:
    data = {
        "creer": "1",
        "title": "Pain de seigle",
        "price": "4,45",
        "num_in_stock": "12",
        "is_on_sale": "on",
        "description": "Au levain.\n\n<b>Bio</b>",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def rows() -> tuple[int, int, int]:
    return Product.objects.count(), StockRecord.objects.count(), ProductImage.objects.count()


# --- The shared catalogue first --------------------------------------------------------------


def test_search_finds_the_catalogues_products_but_not_the_shops_own_nor_hidden_ones(
    client, merchant, shop
):
    product_offered(title="Pain aux noix", shop=ShopFactory(status="live"))
    product_offered(title="Pain de mie", shop=shop)  # already the shop's
    product_offered(title="Pain en attente", shop=ShopFactory(status="pending"))
    withdrawn = product_offered(title="Pain retiré", shop=ShopFactory(status="live"))
    product_moderate(
        product=withdrawn, by=commerce_staff_create(), action="withdraw", reason="Étiquette"
    )
    product_search_refresh()
    response = client.get(add_url(shop, "pain"))
    assert response.status_code == 200
    assert [p.title for p, _form in response.context["matches"]] == ["Pain aux noix"]
    html = response.content.decode()
    assert "Je vends aussi ce produit" in html and "Nom ou code-barres (EAN)" in html
    assert 'data-dx-scan aria-controls="scan-panel" aria-expanded="false" hidden' in html


def test_an_ean_finds_its_product_first_and_exactly(client, merchant, shop):
    live = ShopFactory(status="live")
    product_offered(title="Pâte à tartiner", shop=live, upc=EAN)
    product_offered(title="Pâte à tartiner bio", shop=live)
    product_search_refresh()
    matches = client.get(add_url(shop, EAN)).context["matches"]
    assert [p.title for p, _form in matches] == ["Pâte à tartiner"]


def test_an_unknown_ean_prefills_the_new_products_barcode(client, merchant, shop):
    response = client.get(add_url(shop, "4006381333931"))
    assert response.context["matches"] == []
    form = response.context["form"]
    assert form["upc"].value() == "4006381333931" and not form["title"].value()
    assert "Aucun produit du catalogue ne correspond" in response.content.decode()


def test_a_name_found_nowhere_prefills_the_new_products_title(client, merchant, shop, pains):
    response = client.get(add_url(shop, "Baguette tradition"))
    assert response.context["form"]["title"].value() == "Baguette tradition"


def test_a_wrong_ean_is_said_so_and_not_copied_as_a_barcode(client, merchant, shop):
    response = client.get(add_url(shop, "3760123456785"))  # last digit wrong
    assert response.status_code == 200
    assert "n'est pas un code-barres valide" in response.content.decode()
    assert not response.context["form"]["upc"].value()


def offer_data(product, **overrides) -> dict:
    data = {
        "vendre": "1",
        "produit": str(product.pk),
        "q": "pain",
        f"p{product.pk}-price": "3,90",
        f"p{product.pk}-num_in_stock": "8",
        f"p{product.pk}-is_on_sale": "on",
    }
    data.update(overrides)
    return data


def test_i_sell_this_product_too_creates_the_shops_offer_in_one_post(client, merchant, shop):
    theirs = product_offered(title="Pain aux noix", shop=ShopFactory(status="live"))
    response = client.post(add_url(shop), offer_data(theirs), follow=True)
    assert response.redirect_chain[-1][0] == products_url(shop)
    assert "« Pain aux noix » est en vente." in response.content.decode()
    mine = StockRecord.objects.get(partner=shop)
    assert (mine.product, mine.price, mine.num_in_stock, mine.is_on_sale) == (
        theirs,
        Decimal("3.90"),
        8,
        True,
    )
    assert mine.partner_sku == f"P{theirs.pk}"
    # Twice: refused, still one offer.
    response = client.post(add_url(shop), offer_data(theirs), follow=True)
    assert "ne peut pas être ajouté" in response.content.decode()
    assert StockRecord.objects.filter(partner=shop).count() == 1


def test_a_generated_sku_never_takes_one_the_shop_uses(client, merchant, shop):
    theirs = product_offered(title="Pain aux noix", shop=ShopFactory(status="live"))
    StockRecordFactory(partner=shop, partner_sku=f"P{theirs.pk}", product=ProductFactory())
    client.post(add_url(shop), offer_data(theirs))
    assert StockRecord.objects.get(partner=shop, product=theirs).partner_sku == f"P{theirs.pk}-2"


@pytest.mark.parametrize("price", ["abc", "-1", "1e9", "0", "4,456", ""])
def test_a_bad_price_for_a_catalogue_product_changes_nothing(client, merchant, shop, price):
    theirs = product_offered(title="Pain aux noix", shop=ShopFactory(status="live"))
    before = rows()
    response = client.post(add_url(shop), offer_data(theirs, **{f"p{theirs.pk}-price": price}))
    assert response.status_code == 200
    assert response.context["matches"][0][1].errors["price"]
    assert rows() == before


@pytest.mark.parametrize("pk", ["abc", "99999999999", "0", ""])
def test_a_forged_or_hidden_product_id_is_refused(client, merchant, shop, pk):
    hidden = product_offered(title="Pain en attente", shop=ShopFactory(status="pending"))
    before = rows()
    for product_id in (pk, str(hidden.pk)):
        response = client.post(add_url(shop), offer_data(hidden, produit=product_id))
        assert response.status_code == 200
        assert "ne peut pas être ajouté" in response.content.decode()
    assert rows() == before


# --- A new product ----------------------------------------------------------------------------


def test_a_new_product_with_its_photo_category_and_offer_in_one_post(
    client, merchant, shop, pains, django_capture_on_commit_callbacks, eager_celery
):
    data = new_product(
        category=str(pains.pk), photo=picture("JPEG", (2400, 1800), name="seigle.jpg")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add_url(shop), data, follow=True)
    assert response.redirect_chain[-1][0] == products_url(shop)
    assert "« Pain de seigle » est en vente." in response.content.decode()
    product = Product.objects.get(title="Pain de seigle")
    assert product.is_public and product.product_class.name == "Produit"
    assert list(product.categories.all()) == [pains]
    assert product.description == "<p>Au levain.</p>\n\n<p>&lt;b&gt;Bio&lt;/b&gt;</p>"
    offer = product.stockrecords.get()
    assert (offer.partner, offer.price, offer.num_in_stock, offer.is_on_sale) == (
        shop,
        Decimal("4.45"),
        12,
        True,
    )
    with product.images.get().original.open() as stored:
        assert Image.open(stored).size == (1600, 1200)  # re-encoded at the bounded size
    image = product.images.get()
    assert image.renditions_of == image.original.name  # rendered once committed (Celery)
    assert image.renditions == [[400, 400, 300], [800, 800, 600]]
    client.logout()
    assert client.get(product.get_absolute_url()).status_code == 200  # the shop is live


def test_a_pending_shops_new_product_waits_for_the_shop(client, pains):
    shop = ShopFactory(status="pending")
    client.force_login(merchant_create(shop))
    response = client.post(add_url(shop), new_product(category=str(pains.pk)), follow=True)
    assert "sera visible une fois la boutique validée" in response.content.decode()
    product = Product.objects.get(title="Pain de seigle")
    client.logout()
    assert client.get(product.get_absolute_url()).status_code == 404


def test_a_new_products_ean_is_kept_and_one_of_another_product_refused(
    client, merchant, shop, pains
):
    product_offered(title="Pâte à tartiner", upc=EAN, shop=ShopFactory(status="pending"))
    before = rows()
    response = client.post(add_url(shop), new_product(category=str(pains.pk), upc=EAN))
    assert response.status_code == 200
    assert "déjà celui d&#x27;un autre produit" in response.content.decode(), response.context[
        "form"
    ].errors
    assert rows() == before
    client.post(add_url(shop), new_product(category=str(pains.pk), upc="4006381333931"))
    assert Product.objects.get(title="Pain de seigle").upc == "4006381333931"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"price": "abc"}, "price", "Prix « abc » invalide"),
        ({"price": "-1"}, "price", "Prix « -1 » invalide"),
        ({"price": "1e9"}, "price", "Prix « 1e9 » invalide"),
        ({"num_in_stock": "-3"}, "num_in_stock", "Le stock ne peut pas être négatif."),
        ({"num_in_stock": None}, "num_in_stock", "Indiquez le stock"),
        ({"title": "é" * 300}, "title", "255 caractères au plus"),
        ({"title": "   "}, "title", "Donnez un nom au produit."),
        ({"category": "999999"}, "category", "Choisissez une catégorie de la liste."),
        ({"category": ""}, "category", "Choisissez une catégorie."),
        ({"upc": "3760123456785"}, "upc", "Code-barres « 3760123456785 » invalide"),
        ({"description": "x" * 2001}, "description", "2000 caractères au plus"),
    ],
    ids=[
        "price-abc",
        "price-negative",
        "price-1e9",
        "stock-negative",
        "stock-missing",
        "huge-title",
        "blank-title",
        "unknown-category",
        "no-category",
        "wrong-ean",
        "huge-description",
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_created(
    client, merchant, shop, pains, overrides, field, message
):
    data = new_product(category=str(pains.pk))
    data.update({k: v for k, v in overrides.items() if v is not None})
    data = {k: v for k, v in data.items() if k not in overrides or overrides[k] is not None}
    before = rows()
    response = client.post(add_url(shop), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_errors"' in html and "Rien n'a été enregistré" in html
    assert rows() == before


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
    client, merchant, shop, pains, photo, message
):
    before = rows()
    response = client.post(add_url(shop), new_product(category=str(pains.pk), photo=photo()))
    assert response.status_code == 200
    assert message in response.context["form"].errors["photo"][0]
    assert message in response.content.decode()
    assert rows() == before


def test_another_shops_slug_is_not_found_and_changes_nothing(client, merchant, pains):
    other = ShopFactory()
    before = rows()
    assert client.get(add_url(other)).status_code == 404
    assert client.post(add_url(other), new_product(category=str(pains.pk))).status_code == 404
    assert rows() == before


def test_roles_other_than_merchant_cannot_add(client, shop, pains):
    url = add_url(shop)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(commerce_staff_create())
    assert client.get(url).status_code == 403
    assert client.post(url, new_product(category=str(pains.pk))).status_code == 403
    assert not Product.objects.exists()


def test_the_page_runs_a_bounded_number_of_queries(
    client, merchant, shop, pains, django_assert_max_num_queries
):
    for n in range(12):
        product_offered(title=f"Pain {n}", shop=ShopFactory(status="live"), category=pains)
    product_search_refresh()
    client.get(add_url(shop, "pain"))
    with django_assert_max_num_queries(20):
        response = client.get(add_url(shop, "pain"))
    assert len(response.context["matches"]) == 10  # limited


# --- The categories' type-ahead ---------------------------------------------------------------


def test_categories_json_lists_matches_and_a_suggestion_for_a_title(client, merchant, shop, pains):
    category_create("Fromages", parent=category_create("Crèmerie"))
    url = reverse("merchant:product-categories", kwargs={"slug": shop.code})
    data = client.get(url, {"q": "pai"}).json()
    assert data["results"] == [{"id": pains.pk, "label": "Boulangerie › Pains"}]
    assert data["suggestion"] is None
    data = client.get(url, {"titre": "Pain de seigle"}).json()
    assert data["suggestion"] == {"id": pains.pk, "label": "Boulangerie › Pains"}
    assert len(client.get(url).json()["results"]) == 4
    assert client.get(url, {"q": "zzz"}).json()["results"] == []
    other = reverse("merchant:product-categories", kwargs={"slug": ShopFactory().code})
    assert client.get(other).status_code == 404
