"""`manage.py seed_town`: a small demo town, complete, idempotent and deterministic."""

from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from oscar.core.loading import get_model

from catalog import selectors

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
User = get_user_model()

SMALL = {"shops": 4, "products": 40, "seed": 42}


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Each seed hashes the demo password once; PBKDF2 would cost a third of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**options) -> None:
    call_command("seed_town", **{**SMALL, **options}, verbosity=0)


def snapshot() -> list[tuple]:
    """Everything the seed decides, keyed by stable codes rather than database ids."""
    return list(
        StockRecord.objects.order_by("product__upc", "partner__code").values_list(
            "product__upc",
            "product__title",
            "product__description",
            "product__categories__name",
            "partner__code",
            "partner__name",
            "price",
            "num_in_stock",
        )
    )


def counts() -> dict[str, int]:
    models = (Partner, Product, StockRecord, ProductImage, Category, User)
    return {model.__name__: model.objects.count() for model in models}


def wipe() -> None:
    for model in (Product, Partner, Category, User):
        model.objects.all().delete()


def test_small_town_has_shops_products_offers_pictures_and_categories(db, settings):
    seed()
    shops = Partner.objects.order_by("code")
    assert [shop.code for shop in shops] == [f"boutique-00{n}" for n in range(1, 5)]
    assert all(shop.trade in Partner.Trade.values and shop.description for shop in shops)
    products = Product.objects.annotate(offers=Count("stockrecords"))
    assert products.count() == 40
    assert all(p.is_public and p.is_standalone and p.slug for p in products)
    assert {p.product_class.name for p in products} == {"Produit"}
    assert StockRecord.objects.count() >= 40
    assert not products.filter(offers=0).exists()
    assert products.filter(offers__gte=2).exists(), "some products sold by several shops"
    assert not Product.objects.filter(categories=None).exists()
    assert not Product.objects.filter(images=None).exists()
    image = ProductImage.objects.first()
    assert default_storage.exists(image.original.name)
    assert str(settings.MEDIA_ROOT) in default_storage.path(image.original.name)
    assert default_storage.size(image.original.name) < 20_000


def test_prices_are_positive_euro_decimals(db):
    seed()
    for record in StockRecord.objects.all():
        assert isinstance(record.price, Decimal) and record.price > 0
        assert record.price_currency == "EUR"
        assert record.num_in_stock is not None


def test_accounts_staff_resident_and_one_merchant_per_shop(db):
    seed()
    admin = User.objects.get(email="admin@digitaix.localhost")
    assert admin.is_superuser and admin.is_staff
    town_hall = User.objects.get(email="mairie@digitaix.localhost")
    assert town_hall.is_staff and not town_hall.is_superuser
    resident = User.objects.get(email="habitant@digitaix.localhost")
    assert not resident.is_staff
    for shop in Partner.objects.all():
        (merchant,) = shop.users.all()
        assert merchant.email.endswith("@commercants.digitaix.localhost")
        assert merchant.has_perm("partner.dashboard_access")
    assert authenticate(None, email=resident.email, password="demo-digitaix") == resident


def test_running_twice_duplicates_nothing(db):
    seed()
    before, titles = counts(), snapshot()
    seed()
    assert counts() == before
    assert snapshot() == titles


def test_same_seed_rebuilds_the_same_town_even_in_two_steps(db):
    seed()
    town = snapshot()
    wipe()
    seed(products=15)
    assert Product.objects.count() == 15
    seed()
    assert snapshot() == town


def test_another_seed_leaves_existing_rows_alone(db):
    seed(products=10)
    town = snapshot()
    seed(products=10, seed=7)
    assert snapshot() == town


def test_search_columns_are_filled_and_searchable(db):
    seed()
    assert not Product.objects.filter(search_text="").exists()
    if connection.vendor == "postgresql":
        assert not Product.objects.filter(search_vector=None).exists()
    product = Product.objects.order_by("upc").first()
    word = max(product.title.split(), key=len)
    assert product in selectors.products_search(query=word)


def test_shops_are_live_with_an_address_and_a_valid_siret(db):
    from shops.validators import validate_siret

    seed()
    for shop in Partner.objects.all():
        assert shop.status == Partner.Status.LIVE
        assert shop.address_line and shop.postcode == "73100" and shop.city
        validate_siret(shop.siret)
