"""Every form of the URLconf, posted bad values by every role: never a 500, nothing written.

Each page of the URLconf (public, resident, merchant, town staff, superuser; Django's admin
aside) is opened as each role; every `<form method="post">` it shows is posted once per kind
of bad value (empty, huge, NUL, wrong type; RTL text and emoji too, which may be valid), its
hidden fields kept so that the post reaches the action it names. No answer may be a 500,
and an invalid value may add or remove no row anywhere (the tables' row counts). Each post
runs in a savepoint rolled back afterwards, so every form starts from the same database.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from tests.factories import (
    OpeningHoursFactory,
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    commerce_staff_create,
    merchant_create,
)

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Strategy = get_class("partner.strategy", "Default")

BAD_VALUES = {
    "empty": "",
    "huge": "é" * 20_000,
    "nul": "Pain\x00",
    "wrong_type": "-1e999 ; DROP",
    "rtl_emoji": "\u202eمرحبا שלום 🥐👩\u200d👩\u200d👧",
}
# Valid text in a text box (wrong only in a number, a date or a choice): a form may accept
# it; it must still answer without a 500.
MAY_WRITE = {"wrong_type", "rtl_emoji"}
# Tables a request writes whatever the form says: sessions, Django's admin log, and the
# empty "saved for later" basket Oscar creates for a signed-in user when it shows the basket.
UNWATCHED = {"django_session", "django_admin_log", "basket_basket"}
# A refused CSV file is kept as a failed import with its report (the catalogue is unchanged);
# a refused login is counted by django-axes, which is how logins are throttled.
KEEPS_A_REPORT = {"partner_csvimport", "axes_accessattempt", "axes_accessfailurelog"}
# Fields given the bad value. Checkboxes are left unticked: any value posted for one means
# "ticked" (HTML), so no value is bad for it (bulk actions' row ids are tested apart).
TEXT_TYPES = {"text", "email", "number", "tel", "url", "password", "search", "date", "time"}
TEXT_TYPES |= {"datetime-local", "radio", "color", "range", "month", "week"}


class FormParser(HTMLParser):
    """Every `<form method="post">`: its action and fields (name, kind, first value)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": [], "submits": []}
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input" or tag == "button":
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            value = attrs.get("value") or ""
            if kind in ("submit", "image"):
                self._form["submits"].append((attrs["name"], value))
            else:
                self._form["fields"].append((attrs["name"], kind, value))
        elif tag == "textarea":
            self._form["fields"].append((attrs["name"], "textarea", ""))
        elif tag == "select":
            self._select = [attrs["name"], "select", ""]
            self._form["fields"].append(self._select)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _data(form: dict, value: str) -> dict:
    """The form's hidden fields as the page gave them, every other field `value`."""
    data = {}
    for name, kind, initial in form["fields"]:
        if name == "csrfmiddlewaretoken":
            continue
        if kind == "hidden":
            data.setdefault(name, initial)
        elif kind == "file":
            data[name] = SimpleUploadedFile("photo.png", value.encode("utf-8", "replace"))
        elif kind in TEXT_TYPES or kind in ("textarea", "select"):
            data[name] = value
    if not set(data) - {name for name, kind, _ in form["fields"] if kind == "hidden"}:
        return {}  # nothing typed: the form posts only what the page gave (a button)
    if form["submits"]:
        name, submit_value = form["submits"][0]
        data.setdefault(name, submit_value)
    return data


def _row_counts() -> dict:
    tables = sorted(set(connection.introspection.table_names()) - UNWATCHED)
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _routes() -> list[tuple[str, tuple[str, ...]]]:
    def walk(resolver, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue  # Django's admin: its own, well-tested forms
                yield from walk(
                    entry, namespace + (f"{entry.namespace}:" if entry.namespace else "")
                )
            elif isinstance(entry, URLPattern) and entry.name:
                names = tuple(entry.pattern.regex.groupindex) or tuple(
                    getattr(entry.pattern, "converters", {})
                )
                yield namespace + entry.name, names

    return sorted(set(walk(get_resolver(), "")))


@pytest.fixture
def world():
    """One live shop with its merchant and a product; a resident's order from it; staff."""
    from shops.services import basket_offer_add

    shop = ShopFactory(name="Boulangerie du Lac")
    OpeningHoursFactory(shop=shop, weekday=0)
    offer = StockRecordFactory(partner=shop, product=ProductFactory(title="Pain"))
    User = get_user_model()
    resident = User.objects.create_user(
        username="habitant", email="habitant@example.fr", password="x"
    )
    basket = Basket.objects.create(owner=resident)
    basket.strategy = Strategy()
    basket_offer_add(basket=basket, stockrecord=offer, quantity=1)
    order = create_order(basket=basket, user=resident)
    users = {
        "anonymous": None,
        "resident": resident,
        "merchant": merchant_create(shop, email="commercant@example.fr"),
        "staff": commerce_staff_create(),
        "superuser": User.objects.create_superuser(
            username="admin", email="admin@example.fr", password="x"
        ),
    }
    kwargs = {
        "shops:storefront": {"slug": shop.code},
        "shops:offer-add-to-basket": {"pk": offer.pk},
        "merchant:offer-on-sale": {"slug": shop.code, "pk": offer.pk},
        "merchant:product-edit": {"slug": shop.code, "pk": offer.pk},
        "moderation:shop": {"pk": shop.pk},
        "moderation:shop-location": {"pk": shop.pk},
        "moderation:product": {"pk": offer.product.pk},
        "catalogue:detail": {"product_slug": offer.product.slug, "pk": offer.product.pk},
        "basket:add": {"pk": offer.product.pk},
        "customer:order": {"order_number": order.number},
        "customer:alert-create": {"pk": offer.product.pk},
        "shop-orders:detail": {"slug": shop.code, "number": order.shop_orders.get().number},
        "shop-orders:moved": {"number": order.shop_orders.get().number},
        "shop-orders:list": {"slug": shop.code},
        "shop-orders:pickups": {"slug": shop.code},
        "shop-orders:slip": {"slug": shop.code, "number": order.shop_orders.get().number},
        "space:today": {"slug": shop.code},
        "dashboard:order-detail": {"number": order.number},
        "dashboard:order-shipping-address": {"number": order.number},
        "dashboard:catalogue-product": {"pk": offer.product.pk},
        "dashboard:partner-manage": {"pk": shop.pk},
        "dashboard:user-detail": {"pk": resident.pk},
    }
    return {"users": users, "kwargs": kwargs, "shop": shop, "offer": offer}


def _pages(world) -> list[str]:
    urls = []
    for name, names in _routes():
        if "logout" in name:
            continue  # opening it signs the role out (Oscar's logout answers GET)
        kwargs = world["kwargs"].get(name)
        if names and kwargs is None:
            if name.startswith("merchant:") and names == ("slug",):
                kwargs = {"slug": world["shop"].code}
            else:
                continue  # an object this walk does not build
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return sorted(set(urls))


def _forms(client, url: str) -> list[tuple[str, dict]]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser()
    parser.feed(response.content.decode())
    found = []
    for form in parser.forms:
        action = urljoin(url, form["action"])
        if urlsplit(action).netloc not in ("", "testserver"):
            continue  # a form posting elsewhere (none today)
        found.append((urlsplit(action).path, form))
    return found


def _post(client, action: str, data: dict) -> tuple[int | str, dict, dict]:
    """POST in a savepoint rolled back afterwards; the client's cookies restored too."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    before = _row_counts()
    try:
        with transaction.atomic():
            try:
                status = client.post(action, data).status_code
            except Exception as error:  # noqa: BLE001 - any exception is the 500 we look for
                status = f"{type(error).__name__}: {str(error)[:200]}"
            after = _row_counts()
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return status, before, after


@pytest.mark.parametrize("role", ["anonymous", "resident", "merchant", "staff", "superuser"])
def test_every_form_answers_bad_values_without_a_500_or_a_row(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    client.post(reverse("basket:add", kwargs={"pk": world["offer"].product.pk}), {"quantity": 1})
    failures, posted = [], set()
    for url in _pages(world):
        for action, form in _forms(client, url):
            signature = (action, tuple(sorted(f[0] for f in form["fields"])))
            if signature in posted:
                continue
            posted.add(signature)
            for kind, value in BAD_VALUES.items():
                data = _data(form, value)
                if not data:
                    break
                status, before, after = _post(client, action, data)
                changed = {
                    t: (before[t], after[t])
                    for t in before
                    if before[t] != after[t] and t not in KEEPS_A_REPORT
                }
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"{kind}: POST {action} (form of {url}) -> {status}")
                elif changed and kind not in MAY_WRITE:
                    failures.append(f"{kind}: POST {action} (form of {url}) wrote {changed}")
    assert len(posted) >= 3, f"{role}: too few forms found ({len(posted)})"
    assert not failures, f"{role}: {len(posted)} forms\n" + "\n".join(failures)
