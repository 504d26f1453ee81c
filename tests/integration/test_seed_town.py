"""`manage.py seed_town`: a small demo town, complete, idempotent and deterministic."""

import re
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import selectors
from catalog.renditions import rendition_name
from catalog.services import images_unrendered
from shops.demo.accounts import PASSWORD
from shops.demo.specs import town_specs
from tests.accounts import signed_in

Category = get_model("catalogue", "Category")
ClosingPeriod = get_model("partner", "ClosingPeriod")
OpeningHours = get_model("partner", "OpeningHours")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
User = get_user_model()

SMALL = {"shops": 4, "products": 40, "seed": 42}
# A small town has one shop of each status that is not live.
OTHER_STATUSES = ["pending", "rejected", "suspended"]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Each seed hashes the demo password once; PBKDF2 would cost a third of a second."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


def seed(**options) -> None:
    call_command("seed_town", **{**SMALL, **options}, verbosity=0)


@pytest.fixture(scope="module")
def _town_media(tmp_path_factory):
    return tmp_path_factory.mktemp("seeded-town-media")


@pytest.fixture(scope="module")
def _town_seeded_once(django_db_setup, django_db_blocker, _town_media):
    """The small town seeded once for the module (a seed costs seconds), in a transaction
    rolled back after the last test; each test runs in a savepoint inside it (the `db`
    fixture), so what one test changes never reaches the next."""
    with django_db_blocker.unblock():
        with override_settings(MEDIA_ROOT=_town_media, PASSWORD_HASHERS=FAST_HASHERS):
            with transaction.atomic():
                seed()
                yield
                transaction.set_rollback(True)


@pytest.fixture
def town(_town_seeded_once, db, settings, _town_media):
    """The small town (SMALL), as `seed()` would leave an empty database."""
    settings.MEDIA_ROOT = _town_media


def snapshot() -> list[tuple]:
    """Everything the seed decides, keyed by stable codes rather than database ids."""
    offers = StockRecord.objects.order_by("product__upc", "partner__code").values_list(
        "product__upc",
        "product__title",
        "product__description",
        "product__categories__name",
        "partner__code",
        "partner__name",
        "price",
        "num_in_stock",
    )
    shops = Partner.objects.order_by("code").values_list(
        "code",
        "status",
        "status_reason",
        "latitude",
        "longitude",
        "email",
        "website",
        "offers_click_collect",
        "offers_delivery",
        "logo",
        "banner",
    )
    hours = OpeningHours.objects.order_by("shop__code", "weekday", "opens").values_list(
        "shop__code", "weekday", "opens", "closes"
    )
    closures = ClosingPeriod.objects.order_by("shop__code", "starts_on").values_list(
        "shop__code", "starts_on", "ends_on", "reason"
    )
    return [*offers, *shops, *hours, *closures]


def counts() -> dict[str, int]:
    models = (
        Partner,
        Product,
        StockRecord,
        ProductImage,
        Category,
        User,
        OpeningHours,
        ClosingPeriod,
    )
    return {model.__name__: model.objects.count() for model in models}


def wipe() -> None:
    from delivery.models import Round

    Order = get_model("order", "Order")
    for model in (Round, Order, Product, Partner, Category, User):
        model.objects.all().delete()


def test_small_town_has_shops_products_offers_pictures_and_categories(town, settings):
    shops = Partner.objects.order_by("code")
    assert sorted(shop.code for shop in shops) == sorted(
        s.code for s in town_specs(shops=4, seed=42)
    )
    assert len(shops) == 4 + len(OTHER_STATUSES)
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
    # The cards show renditions (the seeder makes them: bulk_create enqueues no task).
    assert not images_unrendered().exists()
    assert image.renditions == [[400, 400, 400]]  # a 400 px picture: one rendition
    assert default_storage.size(rendition_name(image.original.name, 400)) < 10_000


def test_prices_are_positive_euro_decimals(town):
    for record in StockRecord.objects.all():
        assert isinstance(record.price, Decimal) and record.price > 0
        assert record.price_currency == "EUR"
        assert record.num_in_stock is not None


def test_accounts_staff_resident_and_one_merchant_per_shop(db):
    seed(with_superuser=True)
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
    assert signed_in(email=resident.email, password="demo-digitaix") == resident


def test_without_debug_the_demo_superuser_needs_the_flag(db, settings):
    settings.DEBUG = False
    seed()
    assert not User.objects.filter(is_superuser=True).exists()
    assert User.objects.filter(email="mairie@digitaix.localhost").exists()

    seed(with_superuser=True)
    assert User.objects.get(email="admin@digitaix.localhost").is_superuser


def test_with_debug_the_demo_superuser_is_created(db, settings):
    settings.DEBUG = True
    seed()
    assert User.objects.get(email="admin@digitaix.localhost").is_superuser


def test_running_twice_duplicates_nothing(town):
    before, titles = counts(), snapshot()
    seed()
    assert counts() == before
    assert snapshot() == titles


def test_same_seed_rebuilds_the_same_town_even_in_two_steps(town):
    town = snapshot()
    wipe()
    seed(products=15)
    assert Product.objects.count() == 15
    seed()
    assert snapshot() == town


def test_another_seed_is_refused_and_leaves_existing_rows_alone(db):
    """Shops are found again by their code, made from a name the seed draws: another seed
    would build a second town beside the first."""
    seed(products=10)
    town = snapshot()
    with pytest.raises(CommandError, match="autre graine"):
        seed(products=12, seed=7)
    assert snapshot() == town


def test_search_columns_are_filled_and_searchable(town):
    assert not Product.objects.filter(search_text="").exists()
    if connection.vendor == "postgresql":
        assert not Product.objects.filter(search_vector=None).exists()
    product = Product.objects.order_by("upc").first()
    word = max(product.title.split(), key=len)
    assert product in selectors.products_search(query=word)


def test_shops_have_an_address_a_valid_siret_a_position_and_contacts(town):
    from shops.validators import validate_siret

    for shop in Partner.objects.all():
        assert shop.address_line and shop.postcode == "73100" and shop.city
        validate_siret(shop.siret)
        # Within about 1.5 km of the centre of Aix-les-Bains (45.688, 5.915).
        assert abs(float(shop.latitude) - 45.688) < 0.0135
        assert abs(float(shop.longitude) - 5.915) < 0.0195
        assert shop.email.startswith("contact@") and shop.email.endswith(".example")
        assert shop.website == "" or shop.website.endswith(".example")
        assert shop.offers_click_collect or shop.offers_delivery


def test_the_shops_option_counts_live_shops_and_others_wait_are_suspended_or_refused(town):
    live = Partner.objects.filter(status=Partner.Status.LIVE)
    assert live.count() == SMALL["shops"]
    others = Partner.objects.exclude(status=Partner.Status.LIVE).order_by("status")
    assert [shop.status for shop in others] == OTHER_STATUSES
    for shop in others:
        assert bool(shop.status_reason) == (shop.status != "pending")
        assert shop.status_changed_at < timezone.now()
    assert not StockRecord.objects.filter(partner__status__in=["pending", "rejected"]).exists()


def test_suspended_shop_offers_vanish_while_its_products_stay_on_sale(town):
    assert selectors.products_on_sale().count() == SMALL["products"]
    suspended = Partner.objects.get(status=Partner.Status.SUSPENDED)
    offers = StockRecord.objects.filter(partner=suspended)
    assert offers.exists()
    assert not StockRecord.objects.public().filter(partner=suspended).exists()
    for offer in offers:
        assert selectors.products_on_sale().filter(pk=offer.product_id).exists()


def test_products_on_sale_match_the_products_option_in_a_larger_town(db):
    seed(shops=40, products=120)
    assert Partner.objects.filter(status=Partner.Status.LIVE).count() == 40
    assert selectors.products_on_sale().count() == 120
    statuses = dict(Partner.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses == {"live": 40, "pending": 2, "suspended": 1, "rejected": 1}


def test_a_larger_town_adds_shops_without_renumbering_the_others(town):
    before = {shop.code: shop.name for shop in Partner.objects.all()}
    seed(shops=40)
    after = {shop.code: shop.name for shop in Partner.objects.all()}
    assert {code: after[code] for code in before} == before
    assert len(after) == 44, "40 live shops, 2 pending, 1 suspended, 1 refused"
    assert Partner.objects.filter(status=Partner.Status.LIVE).count() == 40
    assert Partner.objects.filter(status=Partner.Status.PENDING).count() == 2


def test_every_shop_has_opening_hours_a_logo_and_most_a_banner(town, settings):
    shops = Partner.objects.annotate(spans=Count("opening_hours"))
    assert not shops.filter(spans=0).exists()
    for shop in shops:
        assert shop.logo.name == f"shops/logos/{shop.code}.png"
        assert default_storage.exists(shop.logo.name)
        assert str(settings.MEDIA_ROOT) in default_storage.path(shop.logo.name)
        assert default_storage.size(shop.logo.name) < 20_000
        if shop.banner:
            assert shop.banner.name == f"shops/banners/{shop.code}.jpg"
            assert default_storage.size(shop.banner.name) < 60_000
    assert shops.exclude(banner="").exists()


def test_opening_hours_follow_the_trade(db):
    seed(shops=30, products=0)
    spans = OpeningHours.objects.select_related("shop")
    assert all(time(7) <= span.opens < span.closes <= time(20) for span in spans)
    bakery = Partner.objects.get(code=town_specs(shops=1, seed=42)[0].code)
    assert bakery.trade == "boulangerie"
    days = {span.weekday for span in bakery.opening_hours.all()}
    assert {1, 3, 4, 5} <= days, "a bakery opens Tuesday to Saturday (Wednesday now and then off)"
    assert min(span.opens for span in bakery.opening_hours.all()) < time(8)
    for shop in Partner.objects.all():
        open_days = {span.weekday for span in shop.opening_hours.all()}
        assert {1, 3, 4, 5} <= open_days, shop.code  # everyone is open Tuesday–Saturday
    assert spans.filter(weekday=6).exists(), "some shops open on Sunday morning"
    assert spans.filter(weekday=0).exists(), "some shops open on Monday"


def test_closures_are_to_come_within_the_next_year(db):
    seed(shops=60, products=0)
    today = timezone.localdate()
    closures = ClosingPeriod.objects.all()
    assert closures.exists()
    for closure in closures:
        assert closure.starts_on <= closure.ends_on
        assert today <= closure.ends_on < today + timedelta(days=366), "to come, or under way"
        assert closure.reason
    summer = closures.filter(reason="Congés d'été")
    assert summer.exists()
    assert all(c.starts_on.month == 8 and (c.ends_on - c.starts_on).days == 6 for c in summer)


def test_the_town_hall_moderates_without_being_superuser(db, client):
    from shops.models import COMMERCE_STAFF_GROUP

    seed(products=5)
    town_hall = User.objects.get(email="mairie@digitaix.localhost")
    assert not town_hall.is_superuser
    assert town_hall.groups.filter(name=COMMERCE_STAFF_GROUP).exists()
    assert town_hall.has_perm("partner.moderate_shops")
    client.force_login(town_hall)
    response = client.get("/gestion/moderation/")
    assert response.status_code == 200
    pending = Partner.objects.get(status=Partner.Status.PENDING)
    assert [shop.code for shop in response.context["shops"]] == [pending.code]


def test_the_demo_town_delivers_in_its_zones_and_seeding_again_adds_none(town):
    from delivery.models import DeliveryZone
    from delivery.selectors import delivery_quote

    seed()

    assert DeliveryZone.objects.count() == 2
    zone, fee = delivery_quote(postcode="73100", order_amount=Decimal("20.00"))
    assert (zone.name, fee) == ("Aix-les-Bains", Decimal("3.90"))
    Partner = get_model("partner", "Partner")
    assert Partner.objects.filter(status="live", offers_delivery=True).exists()


def test_the_demo_town_has_a_week_of_orders_and_rounds_once(town):
    """Couriers, past orders collected or delivered (a few failed), rounds walked: figures
    for the console and the delivery board; seeding again adds none."""
    from delivery.models import Courier, Round, RoundStop
    from orders.models import ShopOrder

    Order = get_model("order", "Order")
    orders, rounds = Order.objects.count(), Round.objects.count()
    assert Courier.objects.count() == 3 and orders >= 30 and rounds >= 3
    statuses = set(ShopOrder.objects.values_list("status", flat=True))
    assert {"collected", "delivered"} <= statuses <= {
        "collected", "delivered", "delivery_failed", "refused",
    }  # fmt: skip
    assert set(Round.objects.values_list("status", flat=True)) == {"done"}
    assert not RoundStop.objects.filter(status="pending").exists()
    assert all(so.slot_start < timezone.now() for so in ShopOrder.objects.all())
    snapshots = get_model("partner", "PortalSnapshot").objects.count()
    assert snapshots >= 90  # the console's chart of products online over time

    seed()
    assert (Order.objects.count(), Round.objects.count()) == (orders, rounds)
    assert get_model("partner", "PortalSnapshot").objects.count() == snapshots


def readme_demo_logins() -> list[str]:
    """The e-mails of the README's demo logins table (a courier's `-2`, `-3` spelled out)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("Demo logins", 1)[1].split("\n## ", 1)[0]
    emails = re.findall(r"`([\w.+-]+@[\w.-]+)`", table)
    for courier in [email for email in emails if email.startswith("livreur-1@")]:
        emails += [courier.replace("-1@", f"-{n}@") for n in (2, 3)]
    return emails


def test_every_demo_login_the_readme_lists_signs_in(db):
    seed(with_superuser=True)  # as `make run` does (DEBUG on)
    emails = readme_demo_logins()
    assert len(emails) >= 7
    refused = [email for email in emails if signed_in(email=email, password=PASSWORD) is None]
    assert refused == []
