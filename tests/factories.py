"""Factories building on Oscar's own (oscar.test.factories)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test import factories as oscar_factories

Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")


class ShopFactory(oscar_factories.PartnerFactory):
    status = "live"

    class Meta:
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Boutique {n}")
    trade = "epicerie"


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    """One opening span; weekday 0 is Monday."""

    class Meta:
        model = get_model("partner", "OpeningHours")

    shop = factory.SubFactory(ShopFactory)
    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(19)


class ClosingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_model("partner", "ClosingPeriod")

    shop = factory.SubFactory(ShopFactory)
    # A fortnight starting in a month: upcoming whatever the day the suite runs.
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda closure: closure.starts_on + datetime.timedelta(days=14))
    reason = "congés"


def week_hours(shop, *, days=range(6), spans=((9, 12), (14, 19))) -> None:
    """A usual week: the given days (Monday to Saturday by default), with a lunch break."""
    for day in days:
        for opens, closes in spans:
            OpeningHoursFactory(
                shop=shop, weekday=day, opens=datetime.time(opens), closes=datetime.time(closes)
            )


class ProductClassFactory(oscar_factories.ProductClassFactory):
    name = "Produit"

    class Meta:
        django_get_or_create = ("name",)


class ProductFactory(factory.django.DjangoModelFactory):
    """A standalone public product, without stock or category unless asked."""

    class Meta:
        model = get_model("catalogue", "Product")

    structure = "standalone"
    title = factory.Sequence(lambda n: f"Produit {n}")
    upc = factory.Sequence(lambda n: f"TEST-{n:06d}")
    product_class = factory.SubFactory(ProductClassFactory)
    is_public = True


class StockRecordFactory(oscar_factories.StockRecordFactory):
    partner = factory.SubFactory(ShopFactory)
    price_currency = "EUR"
    price = Decimal("4.50")
    num_in_stock = 10


class ProductImageFactory(oscar_factories.ProductImageFactory):
    product = factory.SubFactory(ProductFactory)
    original = factory.django.ImageField(width=8, height=8, filename="p.jpg", format="JPEG")


def category_create(name: str, parent=None):
    """A category at its proper place in the tree (treebeard)."""
    if parent is None:
        return Category.add_root(name=name)
    return Category.objects.get(pk=parent.pk).add_child(name=name)


def product_offered(*, title: str, shop=None, price="4.50", category=None, **fields):
    """A product sold by a shop (created when not given), optionally in a category."""
    product = ProductFactory(title=title, **fields)
    StockRecordFactory(product=product, partner=shop or ShopFactory(), price=Decimal(price))
    if category is not None:
        product.categories.add(category)
    return product


def merchant_create(
    *shops, email: str | None = None, password: str = "demo-digitaix", role: str = "member"
):
    """A merchant account (Oscar's partner user) working for `shops` (role "owner" or "member")."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from accounts.models import EmailVerification

    User = get_user_model()
    email = email or f"merchant{User.objects.count() + 1}@example.fr"
    user = User.objects.create_user(username=email[:30], email=email, password=password)
    EmailVerification.objects.create(user=user, email=email)  # their shops reach the queue
    user.user_permissions.add(
        Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    )
    for shop in shops:
        shop.users.add(user, through_defaults={"role": role})
    return user


def commerce_staff_create(*, email: str = "commerce@example.fr", password: str = "demo-digitaix"):
    """A member of the town's commerce staff: staff, in the moderation group, not superuser."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from shops.models import COMMERCE_STAFF_GROUP

    user = get_user_model().objects.create_user(
        username=email[:30], email=email, password=password, is_staff=True
    )
    # A migration creates the group; a transactional test's flush (live-server tests) empties
    # it with every table, and only permissions are recreated after a flush: make sure of it.
    group, _ = Group.objects.get_or_create(name=COMMERCE_STAFF_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="moderate_shops", content_type__app_label="partner")
    )
    user.groups.add(group)
    return user


def shop_order_placed(shop, *, when=None, total="20.00", status="new"):
    """An order with one click & collect shop order for `shop`, placed at `when` (now by
    default), without a checkout: for pages that only read orders."""
    from orders.models import ShopOrder

    Order = get_model("order", "Order")
    when = when or timezone.now()
    number = f"P{Order.objects.count() + 1:06d}"
    order = Order.objects.create(
        number=number,
        currency="EUR",
        total_incl_tax=Decimal(total),
        total_excl_tax=Decimal(total),
        date_placed=when,
    )
    return ShopOrder.objects.create(
        order=order,
        shop=shop,
        number=f"{number}-1",
        status=status,
        fulfilment=ShopOrder.Fulfilment.CLICK_COLLECT,
        lines_total=Decimal(total),
        total=Decimal(total),
        created_at=when,
    )
