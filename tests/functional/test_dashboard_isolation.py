"""No merchant can see or change another shop's data, over the whole dashboard URL list.

The URL list is read from the URLconf, not hand-picked: every dashboard URL that takes an
argument is requested (GET and POST) by the merchant of shop A with shop B's objects, and must
answer 403, 404 or 405 while the whole database stays byte-for-byte the same. A new dashboard
URL with an argument this test cannot fill makes it fail, so it cannot be forgotten.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
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
TeamInvitation = get_model("partner", "TeamInvitation")
OrderNote = get_model("order", "OrderNote")
ProductReview = get_model("reviews", "ProductReview")
ShopApiKey = get_model("partner", "ShopApiKey")
WebhookEndpoint = get_model("partner", "WebhookEndpoint")
Strategy = get_class("partner.strategy", "Default")

# Tables a page view may legitimately write to without touching anyone's data.
UNWATCHED = {"sessions.session", "admin.logentry", "analytics.userproductview"}


# Where the roles' screens live: Oscar's dashboard, the merchant's and the town staff's spaces,
# the reviews both moderate, and the landing after login.
SPACE_PREFIXES = ("dashboard/", "ma-boutique/", "gestion/", "moderation-avis/", "espace/")


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
        if route.startswith(SPACE_PREFIXES) and names:
            routes.append((name, names))
    return sorted(set((name, tuple(names)) for name, names in routes))


# Oscar's dashboard and the merchant's space (the staff's space is walked by its own tests).
WALKED = ("dashboard/", "ma-boutique/")


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
    merchant_b = merchant_create(shop_b, email="b@example.fr", role="owner")
    colleague_b = merchant_create(shop_b, email="b2@example.fr")
    offer_a = StockRecordFactory(partner=shop_a, product=ProductFactory(title="Pain A"))
    offer_b = StockRecordFactory(
        partner=shop_b, product=ProductFactory(title="Gâteau B"), price=Decimal("9.90")
    )
    OpeningHoursFactory(shop=shop_b, weekday=0)
    closure_b = ClosingPeriodFactory(shop=shop_b)
    order_b = create_order(basket=_basket_of(offer_b))
    mixed = create_order(basket=_basket_of(offer_a, offer_b))
    note_b = OrderNote.objects.create(order=order_b, message="Note de B", user=merchant_b)
    shop_order_b = order_b.shop_orders.get()  # our OrderCreator splits it by shop
    import_b = CsvImport.objects.create(
        shop=shop_b, user=merchant_b, filename="b.csv", status="applied", rows_total=1
    )
    invitation_b = TeamInvitation.objects.create(
        shop=shop_b,
        email="invited-b@example.fr",
        invited_by=merchant_b,
        token_hash="b" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return {
        "api_key_b": ShopApiKey.objects.create_key(shop=shop_b, name="Caisse B", scope="write")[0],
        "closure_b": closure_b,
        "invitation_b": invitation_b,
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
        "review_b": ProductReview.objects.create(
            product=offer_b.product, title="Avis sur B", score=4, body="Bon.", name="X"
        ),
        "staff": commerce_staff_create(),
    }


def _kwargs_for(name: str, names: tuple, w: dict) -> dict:
    """Shop B's objects for the arguments of URL `name` (anything for staff-only URLs)."""
    by_url = {
        "merchant:offer-on-sale": {"pk": w["offer_b"].pk},
        "merchant:product-edit": {"pk": w["offer_b"].pk},
        "merchant:csv-import-detail": {"pk": w["import_b"].pk},
        "merchant:team-remove": {"pk": w["colleague_b"].pk},
        "merchant:team-role": {"pk": w["colleague_b"].pk},
        "merchant:team-invitation-renew": {"pk": w["invitation_b"].pk},
        "merchant:team-invitation-cancel": {"pk": w["invitation_b"].pk},
        "merchant:closure-remove": {"pk": w["closure_b"].pk},
        "moderation:shop-location": {"pk": w["shop_b"].pk},
        "review-moderation:moderate": {"pk": w["review_b"].pk},
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
        # Their own shop's code with shop B's number: the shop's own screens still refuse.
        "shop-orders:detail": {"slug": w["shop_a"].code, "number": w["shop_order_b"].number},
        "shop-orders:slip": {"slug": w["shop_a"].code, "number": w["shop_order_b"].number},
        "shop-orders:moved": {"number": w["shop_order_b"].number},
        "shop-orders-support:detail": {"number": w["shop_order_b"].number},
        "dashboard:partner-delete": {"pk": w["shop_b"].pk},
        "legal:staff-page": {"key": "confidentialite"},  # the town's, no shop's
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
        "prefix": w["api_key_b"].prefix,
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
SHARED: set[str] = set()


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
        post_only = ("-remove", "on-sale", "-role", "-renew", "-cancel", "-revoke", "-resend")
        # Forms' POST targets on the API page.
        forms_only = {
            "merchant:api-webhook-add", "merchant:api-feed-set", "merchant:api-feed-pull",
            "merchant:api-woo-set",
        }  # fmt: skip
        if not name.startswith("merchant:") or name.endswith(post_only) or name in forms_only:
            continue
        url = reverse(name, kwargs=_kwargs_for(name, names, world))
        response = client.get(url)
        if response.status_code == 301:  # an old address kept for bookmarks: same shop
            assert response["Location"].startswith(f"/ma-boutique/{world['shop_b'].code}/"), url
            continue
        assert response.status_code == 200, url
    detail = reverse("dashboard:order-detail", kwargs={"number": world["order_b"].number})
    assert client.get(detail).status_code == 403  # Oscar's order screens: the superuser's
    number = world["shop_order_b"].number
    for name in ("shop-orders:detail", "shop-orders:slip"):
        url = reverse(name, kwargs={"slug": world["shop_b"].code, "number": number})
        assert client.get(url).status_code == 200, url


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
    assert client.get(reverse("space:today", args=[shop.code])).status_code == 200
    for url_name in ("merchant:profile", "merchant:products", "merchant:product-add"):
        assert client.get(reverse(url_name, kwargs={"slug": shop.code})).status_code == 200
    assert client.get(reverse("shops:storefront", kwargs={"slug": shop.code})).status_code == 404


# --- Every role over every dashboard URL ----------------------------------------------------

# Oscar's screens: a merchant and the town's staff open only Oscar's home (which sends them
# to their space); every other Oscar screen (products, orders) is the superuser's.
OSCAR_FOR_MERCHANTS = {"index"}
MERCHANT_SPACES = {"merchant", "shop-orders", "payments", "merchant-app"}
# The merchant app's manifest and service worker hold nothing private (a browser fetches the
# manifest without cookies): anyone opens them.
OPEN_TO_ALL = {"merchant-app:manifest", "merchant-app:service-worker", "space:landing"}
MERCHANT_HOMES = {"space:merchant-home", "space:today", "space:today-poll"}
WALKED = ("dashboard/", "ma-boutique/", "gestion/", "moderation-avis/", "espace/")
# "legal": only its /gestion/pages/ editor is walked (its public pages are not under a space).
STAFF_SPACES = {"moderation", "delivery-board", "console", "shop-orders-support", "legal"}
REVIEWS = "review-moderation"  # merchants (their products' reviews) and staff (every review)
# The spaces' homes (namespace "space"): who opens each.
SPACE_HOMES = {
    "landing": {"anonymous", "resident", "merchant_a", "staff", "staff_on_team_a"},
    "merchant-home": {"merchant_a", "staff_on_team_a"},
    "today": {"merchant_a", "staff_on_team_a"},
    "today-poll": {"merchant_a", "staff_on_team_a"},
    "staff-home": {"staff", "staff_on_team_a"},
    "search-words": {"staff", "staff_on_team_a"},
}
SIGN_IN = {"dashboard:login", "dashboard:logout"}


def _every_dashboard_route() -> list[tuple[str, tuple]]:
    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern) and entry.name:
                names = list(entry.pattern.regex.groupindex) or _converter_names(entry)
                yield prefix + str(entry.pattern), namespace + entry.name, tuple(names)

    found = {
        (name, names)
        for route, name, names in walk(get_resolver(), "", "")
        if route.startswith(WALKED) and name not in SIGN_IN
    }
    return sorted(found)


def _allowed(role: str, name: str) -> bool:
    """The policy, stated here independently of shops/access.py."""
    space, _, short = name.partition(":")
    if name in OPEN_TO_ALL:
        return True
    if space == "space":
        assert short in SPACE_HOMES, f"{name}: who opens it? add it to SPACE_HOMES"
        return role in SPACE_HOMES[short]
    if role in ("anonymous", "resident"):
        return False
    if space == "dashboard":
        return short in (OSCAR_FOR_MERCHANTS if role == "merchant_a" else {"index"})
    if space in MERCHANT_SPACES or name in MERCHANT_HOMES:
        return role in ("merchant_a", "staff_on_team_a")
    if space in STAFF_SPACES:
        return role in ("staff", "staff_on_team_a")
    if space == REVIEWS:
        return True
    if space == "space":  # the spaces' homes: the shop's day is the merchant's
        staff_home = short == "staff-home"
        return role in (("staff",) if staff_home else ("merchant_a",)) + ("staff_on_team_a",)
    raise AssertionError(f"{name}: which space is it? add it to this test")


def _space_of(name: str) -> str:
    """The namespace, the merchant's space for its homes (which name one of their shops)."""
    return "merchant" if name in MERCHANT_HOMES else name.split(":")[0]


def _limited_to_own_shops(role: str, space: str) -> bool:
    """Pages where this role sees its own shops only (so shop B's objects are refused)."""
    if space in MERCHANT_SPACES or space in ("dashboard", "space"):
        return True
    return space == REVIEWS and role == "merchant_a"


def _staff_on_team(shop):
    """A town-staff account a merchant added to its team (it then holds dashboard_access)."""
    from django.contrib.auth.models import Permission

    user = commerce_staff_create(email="mairie-equipe@example.fr")
    user.user_permissions.add(
        Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    )
    shop.users.add(user)
    return user


def _login_as(client, role: str, world: dict) -> None:
    from django.contrib.auth import get_user_model

    users = {
        "resident": lambda: get_user_model().objects.create_user(
            "habitant", "habitant@example.fr", "x" * 12
        ),
        "merchant_a": lambda: world["merchant_a"],
        "staff": lambda: world["staff"],
        "staff_on_team_a": lambda: _staff_on_team(world["shop_a"]),
    }
    if role != "anonymous":
        client.force_login(users[role]())


@pytest.mark.parametrize(
    "role", ["anonymous", "resident", "merchant_a", "staff", "staff_on_team_a"]
)
def test_each_role_opens_only_its_own_space_on_every_dashboard_url(client, world, role):
    """Refused: 403/404/405 (signed out: the login page), and nothing changes. Allowed pages
    without arguments open; with shop B's objects, a merchant's pages still refuse."""
    _login_as(client, role, world)
    before = _snapshot()
    wrong = []
    for name, names in _every_dashboard_route():
        url = reverse(name, kwargs=_kwargs_for(name, names, world) if names else {})
        allowed = _allowed(role, name)
        for method in (client.get, client.post):
            response = method(url)
            status, verb = response.status_code, method.__name__.upper()
            if not allowed:
                to_login = status == 302 and "/dashboard/login/" in response.url
                ok = status in (403, 404, 405) or (role == "anonymous" and to_login)
            elif names and _limited_to_own_shops(role, _space_of(name)):
                ok = status in (403, 404, 405) or name in SHARED  # shop B's objects
            elif verb == "GET" and not names:
                ok = status in (200, 302, 405)  # 405: a POST-only action
            else:
                continue
            if not ok:
                wrong.append(f"{role}: {verb} {url} ({name}) -> {status}")
    assert not wrong, "\n".join(wrong)
    assert _snapshot() == before


def test_the_superuser_opens_every_oscar_screen_and_the_admin(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin", "admin@example.fr", "x" * 12)
    client.force_login(admin)
    for name, names in _every_dashboard_route():
        if name.startswith("dashboard:") and not names:
            assert client.get(reverse(name)).status_code in (200, 302), name
    url = reverse("dashboard:catalogue-product", kwargs={"pk": world["product_b"].pk})
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_town_staff_cannot_reprice_another_shops_product_even_on_a_team(client, world):
    """The issue's scenario: a staff account added to shop A's team posts shop B's product
    form (price 0.01, new title): refused, nothing changes."""
    client.force_login(_staff_on_team(world["shop_a"]))
    product, offer = world["product_b"], world["offer_b"]
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    response = client.post(url, {"title": "Piraté", "stockrecords-0-price": "0.01"})
    assert response.status_code == 403
    product.refresh_from_db(), offer.refresh_from_db()
    assert (product.title, offer.price) == ("Gâteau B", Decimal("9.90"))
    order_url = reverse("dashboard:order-detail", kwargs={"number": world["order_b"].number})
    assert client.get(order_url).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302  # the admin's own login


def _api_routes() -> list[tuple[str, list[str]]]:
    """(url name, argument names) of every route of the public API taking an argument."""
    routes = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            for sub in entry.url_patterns:
                route = str(entry.pattern) + str(getattr(sub, "pattern", ""))
                if isinstance(sub, URLPattern) and sub.name and route.startswith("api/v1/"):
                    routes.append((sub.name, _converter_names(sub)))
    return [(name, names) for name, names in routes if names]


def test_shop_a_key_gets_nothing_of_shop_b_on_any_api_route(client, world):
    """Shop A's write key with shop B's ids on every API route: 404 (never 403, which would
    reveal the object exists) or 405, for every method, and nothing changes."""
    routes = _api_routes()
    assert routes, "the walk found no API route taking an argument"
    _key, secret = ShopApiKey.objects.create_key(shop=world["shop_a"], name="A", scope="write")
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}
    webhook_b = WebhookEndpoint.objects.create(
        shop=world["shop_b"], url="https://b.example.fr/hook", secret="b", events=["x"]
    )
    ids = {"pk": world["offer_b"].pk, "number": world["shop_order_b"].number}
    by_route = {"api-webhook": {"pk": webhook_b.pk}}
    assert client.get(reverse("api-shop"), **auth).status_code == 200  # its use, recorded now
    before = _snapshot()
    leaks = []
    for name, names in routes:
        url = reverse(name, kwargs={**{n: ids[n] for n in names}, **by_route.get(name, {})})
        for method in ("get", "patch", "put", "post", "delete"):
            body = {"price": "1.00", "num_in_stock": 0, "is_on_sale": False}
            if method == "get":
                response = client.get(url, **auth)
            else:
                response = getattr(client, method)(
                    url, body, content_type="application/json", **auth
                )
            if response.status_code not in (404, 405):
                leaks.append(f"{method.upper()} {url} -> {response.status_code}")
    assert not leaks, "\n".join(leaks)
    assert _snapshot() == before
