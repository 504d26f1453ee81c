"""Oscar's order dashboard for a merchant: their shops' lines and share only, actions on
their own lines only; staff keep the whole order."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from shops.services import basket_offer_add
from tests.factories import (
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    merchant_create,
)

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Line = get_model("order", "Line")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventType = get_model("order", "ShippingEventType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
ShippingAddress = get_model("order", "ShippingAddress")
Strategy = get_class("partner.strategy", "Default")

OTHER_TITLE = "Gâteau secret de B"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def offer(shop, title: str, price: str):
    return StockRecordFactory(
        partner=shop, product=ProductFactory(title=title), price=Decimal(price), num_in_stock=500
    )


def order_of(*items, user=None):
    """An order placed through Oscar's basket: items are (offer, quantity)."""
    basket = Basket.objects.create()
    basket.strategy = Strategy()
    for stockrecord, quantity in items:
        basket_offer_add(basket=basket, stockrecord=stockrecord, quantity=quantity)
    return create_order(basket=basket, user=user)


@pytest.fixture
def world():
    shop_a, shop_b = ShopFactory(name="Boulangerie A"), ShopFactory(name="Pâtisserie B")
    bread, croissant = offer(shop_a, "Pain de campagne", "3.35"), offer(shop_a, "Croissant", "1.15")
    cake = offer(shop_b, OTHER_TITLE, "9.90")
    customer = get_user_model().objects.create_user(
        username="client", email="client@example.fr", password="x"
    )
    mixed = order_of((bread, 2), (croissant, 3), (cake, 1), user=customer)
    return {
        "shop_a": shop_a,
        "shop_b": shop_b,
        "merchant_a": merchant_create(shop_a, email="a@example.fr"),
        "merchant_b": merchant_create(shop_b, email="b@example.fr"),
        "offers": (bread, croissant, cake),
        "mixed": mixed,
        "own_lines": list(mixed.lines.filter(partner=shop_a).order_by("pk")),
        "other_line": mixed.lines.get(partner=shop_b),
        "order_b": order_of((cake, 2)),
    }


@pytest.fixture
def staff():
    return get_user_model().objects.create_superuser(
        username="admin", email="admin@example.fr", password="x"
    )


def detail_url(order) -> str:
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def state(order) -> dict:
    """What an order action could change."""
    order.refresh_from_db()
    return {
        "order": (order.status, order.total_incl_tax),
        "lines": list(order.lines.order_by("pk").values_list("pk", "status", "quantity")),
        "notes": list(order.notes.order_by("pk").values_list("pk", "message")),
        "shipping_events": ShippingEvent.objects.filter(order=order).count(),
        "payment_events": PaymentEvent.objects.filter(order=order).count(),
        "address": list(ShippingAddress.objects.values()),
    }


def test_merchant_sees_only_their_lines_and_their_share(client, world):
    client.force_login(world["merchant_a"])
    response = client.get(detail_url(world["mixed"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pain de campagne" in html and "Croissant" in html
    assert OTHER_TITLE not in html and "Pâtisserie B" not in html
    assert [line.pk for line in response.context["lines"]] == [
        line.pk for line in world["own_lines"]
    ]
    # 2 × 3.35 + 3 × 1.15 = 10.15 (prices include VAT: the shops' strategy adds none)
    assert response.context["shop_total_incl_tax"] == Decimal("10.15")
    assert response.context["shop_total_excl_tax"] == Decimal("10.15")
    assert "10,15" in html
    assert world["mixed"].total_incl_tax == Decimal("20.05")
    assert "20,05" not in html and "20.05" not in html
    assert response.context["payment_transactions"] == []


def test_staff_see_the_whole_order(client, world, staff):
    client.force_login(staff)
    response = client.get(detail_url(world["mixed"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert OTHER_TITLE in html and "Pain de campagne" in html
    assert "20,05" in html
    assert len(response.context["lines"]) == 3


def test_merchant_not_in_the_order_gets_404(client, world):
    order_b = world["order_b"]
    line = order_b.lines.get()
    note = OrderNote.objects.create(order=order_b, message="Note de B", user=world["merchant_b"])
    client.force_login(world["merchant_a"])
    urls = [
        detail_url(order_b),
        reverse(
            "dashboard:order-line-detail", kwargs={"number": order_b.number, "line_id": line.pk}
        ),
        reverse(
            "dashboard:order-detail-note", kwargs={"number": order_b.number, "note_id": note.pk}
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        data = {"order_action": "save_note", "message": "x"}
        assert client.post(url, data).status_code in (404, 405), url
    assert not OrderNote.objects.filter(message="x").exists()


def test_line_detail_opens_own_lines_only(client, world):
    number = world["mixed"].number
    client.force_login(world["merchant_a"])
    own = world["own_lines"][0]
    url = reverse("dashboard:order-line-detail", kwargs={"number": number, "line_id": own.pk})
    assert client.get(url).status_code == 200
    other = world["other_line"]
    url = reverse("dashboard:order-line-detail", kwargs={"number": number, "line_id": other.pk})
    assert client.get(url).status_code == 404


LINE_ACTIONS = {
    "change_line_statuses": {"new_status": "En préparation"},
    "create_shipping_event": {"shipping_event_type": "expedie", "reference": "X"},
    "create_payment_event": {"payment_event_type": "paye", "amount": "9.90"},
}


@pytest.fixture
def line_pipeline(monkeypatch, world):
    """A line status pipeline and event types, so that every line action could succeed."""
    status = world["other_line"].status
    monkeypatch.setattr(Line, "pipeline", {status: ("En préparation",), "En préparation": ()})
    ShippingEventType.objects.create(code="expedie", name="Expédié")
    PaymentEventType.objects.create(code="paye", name="Payé")


@pytest.mark.parametrize("action", LINE_ACTIONS)
@pytest.mark.parametrize("with_own_line", [False, True])
def test_line_actions_on_another_shops_line_are_refused(
    client, world, line_pipeline, action, with_own_line
):
    order, other = world["mixed"], world["other_line"]
    selected = [other] + (world["own_lines"][:1] if with_own_line else [])
    data = {"line_action": action, "selected_line": [line.pk for line in selected]}
    data.update({f"selected_line_qty_{line.pk}": line.quantity for line in selected})
    data.update(LINE_ACTIONS[action])
    client.force_login(world["merchant_a"])
    before = state(order)
    assert client.post(detail_url(order), data).status_code == 404
    assert state(order) == before


@pytest.mark.parametrize("action", LINE_ACTIONS)
def test_line_actions_work_on_own_lines(client, world, line_pipeline, action):
    order, own = world["mixed"], world["own_lines"][0]
    data = {"line_action": action, "selected_line": [own.pk], f"selected_line_qty_{own.pk}": 1}
    data.update(LINE_ACTIONS[action])
    client.force_login(world["merchant_a"])
    before = state(order)
    response = client.post(detail_url(order), data)
    assert response.status_code == 302
    assert state(order) != before
    other = Line.objects.get(pk=world["other_line"].pk)
    assert other.status == world["other_line"].status
    assert not other.shipping_events.exists() and not other.payment_event_quantities.exists()


def test_line_action_with_a_made_up_line_id_is_refused(client, world, line_pipeline):
    order = world["mixed"]
    client.force_login(world["merchant_a"])
    before = state(order)
    for bad in ("abc", "999999"):
        data = {"line_action": "create_shipping_event", "selected_line": [bad]}
        data.update(LINE_ACTIONS["create_shipping_event"])
        assert client.post(detail_url(order), data).status_code == 404
    assert state(order) == before


@pytest.mark.parametrize(
    "data",
    [
        {"order_action": "change_order_status", "new_status": "Annulée"},
        {
            "order_action": "create_order_payment_event",
            "amount": "20.05",
            "payment_event_type": "paye",
        },
    ],
)
def test_whole_order_actions_are_refused_to_a_merchant(client, world, line_pipeline, data):
    order = world["mixed"]
    client.force_login(world["merchant_a"])
    before = state(order)
    assert client.post(detail_url(order), data).status_code == 403
    assert state(order) == before


def test_merchant_cannot_change_the_delivery_address(client, world):
    order = world["mixed"]
    url = reverse("dashboard:order-shipping-address", kwargs={"number": order.number})
    client.force_login(world["merchant_a"])
    before = state(order)
    assert client.get(url).status_code == 403
    assert client.post(url, {"first_name": "X", "line1": "1 rue"}).status_code == 403
    assert state(order) == before


def test_notes_of_another_shop_stay_hidden_and_untouched(client, world):
    order = world["mixed"]
    note_b = OrderNote.objects.create(
        order=order, message="Note privée de B", user=world["merchant_b"]
    )
    client.force_login(world["merchant_a"])
    assert "Note privée de B" not in client.get(detail_url(order)).content.decode()
    edit = reverse(
        "dashboard:order-detail-note", kwargs={"number": order.number, "note_id": note_b.pk}
    )
    assert client.get(edit).status_code == 404
    before = state(order)
    assert client.post(edit, {"order_action": "save_note", "message": "piraté"}).status_code == 404
    client.post(detail_url(order), {"order_action": "delete_note", "note_id": note_b.pk})
    assert state(order) == before

    response = client.post(
        detail_url(order), {"order_action": "save_note", "message": "Prêt à 17 h"}
    )
    assert response.status_code == 302
    assert "Prêt à 17 h" in client.get(detail_url(order)).content.decode()
    client.force_login(world["merchant_b"])
    assert "Prêt à 17 h" not in client.get(detail_url(order)).content.decode()


def test_order_list_shows_the_merchants_share(client, world):
    client.force_login(world["merchant_a"])
    response = client.get(reverse("dashboard:order-list"))
    assert response.status_code == 200
    orders = list(response.context["orders"])
    assert [o.number for o in orders] == [str(world["mixed"].number)]
    assert orders[0].shop_total_incl_tax == Decimal("10.15")
    assert orders[0].shop_num_items == 5
    html = response.content.decode()
    assert "10,15" in html and "20,05" not in html

    csv_response = client.get(reverse("dashboard:order-list"), {"response_format": "csv"})
    rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert rows[1][1] == "10.15" and rows[1][3] == "5"


def test_merchant_cannot_change_order_statuses_from_the_list(client, world, monkeypatch):
    order = world["mixed"]
    monkeypatch.setattr(Order, "pipeline", {order.status: ("Annulée",), "Annulée": ()})
    client.force_login(world["merchant_a"])
    before = state(order)
    data = {
        "action": "change_order_statuses",
        "selected_order": [order.pk],
        "new_status": "Annulée",
    }
    assert client.post(reverse("dashboard:order-list"), data).status_code == 403
    assert state(order) == before


def test_order_statistics_count_the_merchants_lines_only(client, world):
    client.force_login(world["merchant_a"])
    response = client.get(reverse("dashboard:order-stats"))
    assert response.status_code == 200
    assert response.context["total_orders"] == 1
    assert response.context["total_lines"] == 2
    assert response.context["total_revenue"] == Decimal("10.15")


def test_order_list_runs_a_constant_number_of_queries(client, world, monkeypatch):
    from orders.dashboard import OrderListView

    monkeypatch.setattr(OrderListView, "paginate_by", 200)  # read from settings at import
    bread, croissant, cake = world["offers"]
    client.force_login(world["merchant_a"])
    url = reverse("dashboard:order-list")

    def measure(count: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(response.context["orders"]) == count
        return len(captured.captured_queries)

    for _ in range(9):
        order_of((bread, 1), (cake, 1))
    with_10 = measure(10)
    for _ in range(90):
        order_of((croissant, 2), (cake, 1))
    with_100 = measure(100)
    print("order list queries:", with_10, with_100)
    assert with_100 == with_10


@pytest.mark.parametrize("viewer", ["merchant_a", "staff"])
def test_order_page_runs_a_constant_number_of_queries(client, world, staff, viewer):
    shop_a, shop_b = world["shop_a"], world["shop_b"]
    user = staff if viewer == "staff" else world["merchant_a"]
    client.force_login(user)

    def measure(lines_per_shop: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        items = []
        for i in range(lines_per_shop):
            items += [(offer(shop_a, f"A{i}", "1.00"), 1), (offer(shop_b, f"B{i}", "2.00"), 1)]
        url = detail_url(order_of(*items))
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    with_4, with_40 = measure(2), measure(20)
    print(viewer, "order page queries:", with_4, with_40)
    assert with_4 == with_40
