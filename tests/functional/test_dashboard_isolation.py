"""No merchant can see or change another shop's data, over the whole dashboard URL list.

The URL list is read from the URLconf, not hand-picked: every dashboard URL that takes an
argument is requested (GET and POST) by the merchant of shop A with shop B's objects, and must
answer 403, 404 or 405 while the whole database stays byte-for-byte the same. A new dashboard
URL with an argument this test cannot fill makes it fail, so it cannot be forgotten.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from tests.factories import (
    ClosingPeriodFactory,
    OpeningHoursFactory,
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    commerce_staff_create,
    merchant_create,
)

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
CsvImport = get_model("partner", "CsvImport")
OrderNote = get_model("order", "OrderNote")
Strategy = get_class("partner.strategy", "Default")

# Tables a page view may legitimately write to without touching anyone's data.
UNWATCHED = {"sessions.session", "admin.logentry", "analytics.userproductview"}


def _dashboard_routes() -> list[tuple[str, list[str]]]:
    """(url name, argument names) of every dashboard URL taking an argument."""

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and entry.name:
                route = prefix + str(entry.pattern)
                names = list(entry.pattern.regex.groupindex) or _converter_names(entry)
                yield route, namespace + entry.name, names

    routes = []
    for route, name, names in walk(get_resolver(), "", ""):
        if route.startswith("dashboard/") and names:
            routes.append((name, names))
    return sorted(set((name, tuple(names)) for name, names in routes))


def _converter_names(entry) -> list[str]:
    return list(getattr(entry.pattern, "converters", {}))


def _basket_of(*offers) -> Basket:
    from shops.services import basket_offer_add

    basket = Basket.objects.create()
    basket.strategy = Strategy()
    for offer in offers:
        basket_offer_add(basket=basket, stockrecord=offer, quantity=1)
    return basket


@pytest.fixture
def world():
    """Shop A and its merchant; shop B with one object of every kind, and a mixed order."""
    shop_a, shop_b = ShopFactory(name="Boutique A"), ShopFactory(name="Boutique B")
    merchant_a = merchant_create(shop_a, email="a@example.fr")
    merchant_b = merchant_create(shop_b, email="b@example.fr")
    colleague_b = merchant_create(shop_b, email="b2@example.fr")
    offer_a = StockRecordFactory(partner=shop_a, product=ProductFactory(title="Pain A"))
    offer_b = StockRecordFactory(
        partner=shop_b, product=ProductFactory(title="Gâteau B"), price=Decimal("9.90")
    )
    OpeningHoursFactory(shop=shop_b, weekday=0)
    ClosingPeriodFactory(shop=shop_b)
    order_b = create_order(basket=_basket_of(offer_b))
    mixed = create_order(basket=_basket_of(offer_a, offer_b))
    note_b = OrderNote.objects.create(order=order_b, message="Note de B", user=merchant_b)
    shop_order_b = order_b.shop_orders.get()  # our OrderCreator splits it by shop
    import_b = CsvImport.objects.create(
        shop=shop_b, user=merchant_b, filename="b.csv", status="applied", rows_total=1
    )
    return {
        "shop_a": shop_a,
        "merchant_a": merchant_a,
        "shop_b": shop_b,
        "offer_b": offer_b,
        "product_b": offer_b.product,
        "order_b": order_b,
        "shop_order_b": shop_order_b,
        "mixed_line_b": mixed.lines.get(partner=shop_b),
        "mixed": mixed,
        "note_b": note_b,
        "import_b": import_b,
        "colleague_b": colleague_b,
        "staff": commerce_staff_create(),
    }


def _kwargs_for(name: str, names: tuple, w: dict) -> dict:
    """Shop B's objects for the arguments of URL `name` (anything for staff-only URLs)."""
    by_url = {
        "merchant:offer-on-sale": {"pk": w["offer_b"].pk},
        "merchant:csv-import-detail": {"pk": w["import_b"].pk},
        "merchant:team-remove": {"pk": w["colleague_b"].pk},
        "moderation:shop": {"pk": w["shop_b"].pk},
        "moderation:product": {"pk": w["product_b"].pk},
        "dashboard:catalogue-product": {"pk": w["product_b"].pk},
        "dashboard:catalogue-product-delete": {"pk": w["product_b"].pk},
        "dashboard:catalogue-product-create-child": {"parent_pk": w["product_b"].pk},
        "dashboard:order-detail": {"number": w["order_b"].number},
        "dashboard:order-shipping-address": {"number": w["order_b"].number},
        "dashboard:order-detail-note": {"number": w["order_b"].number, "note_id": w["note_b"].pk},
        "dashboard:order-line-detail": {
            "number": w["mixed"].number,
            "line_id": w["mixed_line_b"].pk,
        },
        "dashboard:partner-manage": {"pk": w["shop_b"].pk},
        "shop-orders:detail": {"number": w["shop_order_b"].number},
        "dashboard:partner-delete": {"pk": w["shop_b"].pk},
    }
    generic = {
        "slug": w["shop_b"].code,
        "pk": w["product_b"].pk,
        "partner_pk": w["shop_b"].pk,
        "user_pk": w["colleague_b"].pk,
        "number": w["order_b"].number,
        "parent": 1,
        "method_pk": 1,
        "product_class_slug": w["product_b"].product_class.slug,
    }
    kwargs = {n: generic[n] for n in names if n in generic}
    kwargs.update(by_url.get(name, {}))
    missing = set(names) - set(kwargs)
    assert not missing, f"{name}: no object of shop B for {missing}: add it to this test"
    return kwargs


def _snapshot() -> dict:
    """Every row of every table that holds shop, product, order or account data."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNWATCHED or model._meta.proxy or not model._meta.managed:
            continue
        state[label] = list(model._default_manager.order_by("pk").values())
    return state


# URLs that take an argument but hold nothing of any shop: a merchant may open them.
SHARED = {
    # Oscar's "new product of this type" form: the type is shared, the product will be theirs.
    "dashboard:catalogue-product-create",
}


def test_merchant_of_shop_a_gets_nothing_of_shop_b_on_any_dashboard_url(client, world):
    routes = _dashboard_routes()
    assert len(routes) > 50, "the URL walk found too few dashboard URLs"
    client.force_login(world["merchant_a"])
    before = _snapshot()
    leaks = []
    for name, names in routes:
        if name in SHARED:
            continue
        url = reverse(name, kwargs=_kwargs_for(name, names, world))
        for method in (client.get, client.post):
            status = method(url).status_code
            if status not in (403, 404, 405):
                leaks.append(f"{method.__name__.upper()} {url} ({name}) -> {status}")
    assert not leaks, "\n".join(leaks)
    assert _snapshot() == before


def test_the_owner_opens_the_same_urls(client, world):
    """The ids above are real: shop B's own merchant reaches its merchant pages with them."""
    owner = world["shop_b"].users.get(email="b@example.fr")
    client.force_login(owner)
    for name, names in _dashboard_routes():
        if not name.startswith("merchant:") or name.endswith(("-remove", "on-sale")):
            continue
        url = reverse(name, kwargs=_kwargs_for(name, names, world))
        assert client.get(url).status_code == 200, url
    detail = reverse("dashboard:order-detail", kwargs={"number": world["order_b"].number})
    assert client.get(detail).status_code == 200
    shop_order = reverse("shop-orders:detail", kwargs={"number": world["shop_order_b"].number})
    assert client.get(shop_order).status_code == 200


def test_staff_only_pages_refuse_merchants(client, world):
    client.force_login(world["merchant_a"])
    for url_name in (
        "moderation:queue",
        "moderation:log",
        "moderation:products",
        "dashboard:partner-list",
        "dashboard:users-index",
        "dashboard:offer-list",
        "dashboard:reports-index",
    ):
        assert client.get(reverse(url_name)).status_code == 403, url_name


def test_suspended_shop_merchant_keeps_the_dashboard(client, world):
    from shops.services import shop_moderate

    shop = world["shop_a"]
    shop_moderate(shop=shop, by=world["staff"], action="suspend", reason="Contrôle en cours")
    client.force_login(world["merchant_a"])
    assert client.get(reverse("dashboard:index")).status_code == 200
    for url_name in ("merchant:profile", "merchant:stock"):
        assert client.get(reverse(url_name, kwargs={"slug": shop.code})).status_code == 200
    assert client.get(reverse("shops:storefront", kwargs={"slug": shop.code})).status_code == 404
