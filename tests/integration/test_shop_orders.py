"""Orders split by shop: the split at placement, the shop order workflow, stock release, the
overall order status and the selectors' isolation between shops and customers."""

import datetime
from decimal import Decimal
from itertools import product as cartesian

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from delivery.selectors import delivery_slots_available
from orders import selectors, services, workflow
from orders.models import ShopOrder, ShopOrderEvent
from orders.services import ShopFulfilment, shop_order_transition, shop_orders_create
from tests.factories import ShopFactory, merchant_create, product_offered

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Line = get_model("order", "Line")
Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

S = ShopOrder.Status
CC, DELIVERY = ShopOrder.Fulfilment.CLICK_COLLECT, ShopOrder.Fulfilment.DELIVERY

# The workflow as the issue states it, written out here on purpose (not read from
# orders.workflow) so that any change to the rules breaks a test.
ALLOWED = {
    CC: {
        (S.NEW, S.ACCEPTED),
        (S.NEW, S.REFUSED),
        (S.NEW, S.CANCELLED),
        (S.ACCEPTED, S.READY),
        (S.ACCEPTED, S.CANCELLED),
        (S.READY, S.COLLECTED),
        (S.READY, S.CANCELLED),
    },
    DELIVERY: {
        (S.NEW, S.ACCEPTED),
        (S.NEW, S.REFUSED),
        (S.NEW, S.CANCELLED),
        (S.ACCEPTED, S.READY),
        (S.ACCEPTED, S.CANCELLED),
        (S.READY, S.HANDED_TO_COURIER),
        (S.READY, S.CANCELLED),
        (S.HANDED_TO_COURIER, S.DELIVERED),
        (S.HANDED_TO_COURIER, S.DELIVERY_FAILED),
        (S.DELIVERY_FAILED, S.HANDED_TO_COURIER),
        (S.DELIVERY_FAILED, S.CANCELLED),
    },
}
ALL_MOVES = [
    (fulfilment, from_status, to_status)
    for fulfilment in (CC, DELIVERY)
    for from_status, to_status in cartesian(S.values, S.values)
]


def order_place(*items, user=None, fulfilments=None):
    """An order placed through Oscar's OrderCreator from `(product, quantity)` items."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return create_order(basket=basket, user=user, shop_fulfilments=fulfilments)


def one_shop_order(*, fulfilment=CC, status=S.NEW, quantity=2):
    shop = ShopFactory(offers_delivery=True)
    product = product_offered(title="Pain de campagne", shop=shop, price="3.20")
    order = order_place(
        (product, quantity), fulfilments={shop.pk: ShopFulfilment(fulfilment=fulfilment)}
    )
    shop_order = order.shop_orders.get()
    ShopOrder.objects.filter(pk=shop_order.pk).update(status=status)
    shop_order.refresh_from_db()
    return shop_order


@pytest.fixture
def two_shops():
    bakery = ShopFactory(name="Boulangerie Zola", offers_delivery=True)
    grocer = ShopFactory(name="Arômes du marché")
    bread = product_offered(title="Baguette", shop=bakery, price="1.20")
    cake = product_offered(title="Tarte aux myrtilles", shop=bakery, price="18.50")
    honey = product_offered(title="Miel de Savoie", shop=grocer, price="9.90")
    return {"bakery": bakery, "grocer": grocer, "bread": bread, "cake": cake, "honey": honey}


def stock_allocated(product) -> int:
    return StockRecord.objects.get(product=product).num_allocated or 0


# --- The split -------------------------------------------------------------------------------


def test_placing_an_order_splits_it_into_one_shop_order_per_shop(two_shops):
    t = two_shops
    order = order_place((t["bread"], 3), (t["honey"], 1), (t["cake"], 1))

    grocer_part, bakery_part = order.shop_orders.order_by("number")
    assert (grocer_part.shop, bakery_part.shop) == (t["grocer"], t["bakery"])
    # Numbered by shop name: "Arômes du marché" before "Boulangerie Zola".
    assert grocer_part.number == f"{order.number}-1"
    assert bakery_part.number == f"{order.number}-2"
    assert bakery_part.lines_total == Decimal("22.10")  # 3 × 1.20 + 18.50
    assert grocer_part.lines_total == Decimal("9.90")
    for part in (grocer_part, bakery_part):
        assert part.status == S.NEW and part.fulfilment == CC
        assert part.shipping_total == Decimal("0.00") and part.total == part.lines_total
        assert not part.is_paid and part.slot_start is None
    assert grocer_part.total + bakery_part.total == order.total_incl_tax
    assert order.status == workflow.OrderStatus.NEW
    assert Order.objects.get().status == "Nouvelle"


def test_split_keeps_the_fulfilment_shipping_and_slot_chosen_for_a_shop(two_shops):
    t = two_shops
    # The first delivery window offered now: a written date would leave the booking horizon.
    first = delivery_slots_available()[0]
    choice = ShopFulfilment(
        fulfilment=DELIVERY, shipping=Decimal("3.90"), slot_start=first.start, slot_end=first.end
    )
    order = order_place((t["bread"], 1), (t["honey"], 1), fulfilments={t["bakery"].pk: choice})

    bakery_part = order.shop_orders.get(shop=t["bakery"])
    assert bakery_part.fulfilment == DELIVERY
    assert (bakery_part.lines_total, bakery_part.shipping_total) == (
        Decimal("1.20"),
        Decimal("3.90"),
    )
    assert bakery_part.total == Decimal("5.10")
    assert (bakery_part.slot_start, bakery_part.slot_end) == (choice.slot_start, choice.slot_end)
    assert order.shop_orders.get(shop=t["grocer"]).fulfilment == CC


def test_splitting_an_order_twice_creates_nothing_more(two_shops):
    t = two_shops
    order = order_place((t["bread"], 1), (t["honey"], 1))
    first = [so.pk for so in order.shop_orders.order_by("number")]

    again = shop_orders_create(order=order)

    assert [so.pk for so in again] == first
    assert ShopOrder.objects.count() == 2


def test_an_order_is_not_placed_when_a_shop_does_not_offer_the_chosen_delivery(two_shops):
    t = two_shops
    with pytest.raises(ValidationError) as refused:
        order_place(
            (t["honey"], 1),
            fulfilments={t["grocer"].pk: ShopFulfilment(fulfilment=DELIVERY)},
        )
    assert refused.value.code == "fulfilment_not_offered"
    assert Order.objects.count() == 0 and ShopOrder.objects.count() == 0
    assert stock_allocated(t["honey"]) == 0


def test_split_refuses_a_slot_ending_before_it_starts(two_shops):
    start = timezone.now()
    bad = ShopFulfilment(slot_start=start, slot_end=start - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError):
        order_place((two_shops["bread"], 1), fulfilments={two_shops["bakery"].pk: bad})
    assert Order.objects.count() == 0


# --- Database constraints --------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"total": Decimal("10.00")},  # not lines + shipping
        {"lines_total": Decimal("-1.00"), "total": Decimal("-1.00")},
        {"status": "lost"},
        {"fulfilment": "drone"},
        {"is_paid": True},  # without paid_at
    ],
)
def test_database_refuses_an_inconsistent_shop_order(fields):
    shop_order = one_shop_order()
    with pytest.raises(IntegrityError), transaction.atomic():
        ShopOrder.objects.filter(pk=shop_order.pk).update(**fields)


def test_database_refuses_two_shop_orders_of_one_shop_in_one_order():
    shop_order = one_shop_order()
    with pytest.raises(IntegrityError), transaction.atomic():
        ShopOrder.objects.create(
            order=shop_order.order, shop=shop_order.shop, number=f"{shop_order.number}-bis"
        )


# --- The workflow ----------------------------------------------------------------------------


@pytest.mark.parametrize(("fulfilment", "from_status", "to_status"), ALL_MOVES)
def test_workflow_allows_exactly_the_moves_of_the_issue(fulfilment, from_status, to_status):
    expected = (from_status, to_status) in ALLOWED[fulfilment]
    allowed = workflow.is_allowed(
        fulfilment=fulfilment, from_status=from_status, to_status=to_status
    )
    assert allowed is expected


@pytest.mark.parametrize(
    ("fulfilment", "from_status", "to_status"),
    sorted((f, a, b) for f, moves in ALLOWED.items() for a, b in moves),
)
def test_merchant_moves_a_shop_order_along_an_allowed_transition(
    fulfilment, from_status, to_status
):
    shop_order = one_shop_order(fulfilment=fulfilment, status=from_status)
    by = merchant_create(shop_order.shop)

    moved = shop_order_transition(
        shop_order=shop_order, to_status=to_status, by=by, reason="Rupture de farine"
    )

    assert moved.status == to_status
    assert ShopOrder.objects.get(pk=shop_order.pk).status == to_status
    event = ShopOrderEvent.objects.get(shop_order=shop_order)
    assert (event.from_status, event.to_status, event.actor) == (from_status, to_status, by)
    assert event.reason == "Rupture de farine"


@pytest.mark.parametrize(
    ("fulfilment", "from_status", "to_status"),
    [move for move in ALL_MOVES if (move[1], move[2]) not in ALLOWED[move[0]]],
)
def test_a_forbidden_transition_is_refused_and_changes_nothing(fulfilment, from_status, to_status):
    shop_order = one_shop_order(fulfilment=fulfilment, status=from_status)
    order_status = Order.objects.get().status

    with pytest.raises(ValidationError) as refused:
        shop_order_transition(shop_order=shop_order, to_status=to_status, reason="Motif")

    assert refused.value.code == "transition_not_allowed"
    assert ShopOrder.objects.get(pk=shop_order.pk).status == from_status
    assert not ShopOrderEvent.objects.exists()
    assert Order.objects.get().status == order_status
    assert stock_allocated(shop_order.order.lines.get().product) == 2


@pytest.mark.parametrize("to_status", [S.REFUSED, S.CANCELLED])
@pytest.mark.parametrize("reason", ["", "   "])
def test_refusing_or_cancelling_without_a_reason_is_refused_and_changes_nothing(to_status, reason):
    shop_order = one_shop_order()

    with pytest.raises(ValidationError) as refused:
        shop_order_transition(shop_order=shop_order, to_status=to_status, reason=reason)

    assert refused.value.code == "reason_required"
    assert "motif" in refused.value.messages[0]
    assert ShopOrder.objects.get(pk=shop_order.pk).status == S.NEW
    assert not ShopOrderEvent.objects.exists()
    assert stock_allocated(shop_order.order.lines.get().product) == 2


def test_an_unknown_status_is_refused():
    shop_order = one_shop_order()
    with pytest.raises(ValidationError):
        shop_order_transition(shop_order=shop_order, to_status="lost")


def test_a_move_decided_on_a_status_that_changed_since_is_refused():
    """The merchant's page showed "new"; a colleague accepted meanwhile: cancelling is allowed
    from "accepted" too, yet refused, as the merchant decided on what they saw."""
    shop_order = one_shop_order(status=S.ACCEPTED)
    with pytest.raises(ValidationError) as refused:
        shop_order_transition(
            shop_order=shop_order, to_status=S.CANCELLED, reason="Erreur", expected_status=S.NEW
        )
    assert refused.value.code == "status_changed_meanwhile"
    shop_order.refresh_from_db()
    assert shop_order.status == S.ACCEPTED
    assert not ShopOrderEvent.objects.filter(to_status=S.CANCELLED).exists()


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(S.NEW, S.REFUSED), (S.NEW, S.CANCELLED), (S.ACCEPTED, S.CANCELLED), (S.READY, S.CANCELLED)],
)
def test_refused_or_cancelled_shop_order_gives_its_stock_back(two_shops, from_status, to_status):
    t = two_shops
    order = order_place((t["bread"], 3), (t["cake"], 1), (t["honey"], 2))
    assert (stock_allocated(t["bread"]), stock_allocated(t["honey"])) == (3, 2)
    bakery_part = order.shop_orders.get(shop=t["bakery"])
    ShopOrder.objects.filter(pk=bakery_part.pk).update(status=from_status)

    shop_order_transition(shop_order=bakery_part, to_status=to_status, reason="Fermé")

    assert (stock_allocated(t["bread"]), stock_allocated(t["cake"])) == (0, 0)
    assert stock_allocated(t["honey"]) == 2  # the other shop's part keeps its stock
    assert StockRecord.objects.get(product=t["bread"]).num_in_stock == 10
    bakery_lines = Line.objects.filter(order=order, partner=t["bakery"])
    assert all(line.allocation_cancelled and line.num_allocated == 0 for line in bakery_lines)


def test_moving_a_shop_order_on_keeps_its_stock_allocated():
    shop_order = one_shop_order()
    shop_order_transition(shop_order=shop_order, to_status=S.ACCEPTED)
    assert stock_allocated(shop_order.order.lines.get().product) == 2


# --- The overall order status ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([S.NEW, S.NEW], "Nouvelle"),
        ([S.NEW, S.ACCEPTED], "En cours"),
        ([S.NEW, S.COLLECTED], "En cours"),
        ([S.READY, S.HANDED_TO_COURIER], "En cours"),
        ([S.COLLECTED, S.DELIVERED], "Terminée"),
        ([S.COLLECTED, S.REFUSED], "Terminée"),
        ([S.NEW, S.CANCELLED], "Nouvelle"),
        ([S.ACCEPTED, S.CANCELLED], "En cours"),
        ([S.REFUSED, S.CANCELLED], "Annulée"),
        ([S.REFUSED], "Annulée"),
    ],
)
def test_order_status_follows_from_its_shop_orders(statuses, expected):
    assert workflow.order_status_for(statuses) == expected


def test_order_status_follows_each_shop_order_change_and_is_recorded(two_shops):
    t = two_shops
    order = order_place((t["bread"], 1), (t["honey"], 1))
    grocer_part, bakery_part = order.shop_orders.order_by("number")

    shop_order_transition(shop_order=grocer_part, to_status=S.ACCEPTED)
    assert Order.objects.get().status == "En cours"
    shop_order_transition(shop_order=bakery_part, to_status=S.REFUSED, reason="Fermé")
    assert Order.objects.get().status == "En cours"
    for status in (S.READY, S.COLLECTED):
        shop_order_transition(shop_order=grocer_part, to_status=status)
    assert Order.objects.get().status == "Terminée"

    changes = OrderStatusChange.objects.order_by("pk").values_list("old_status", "new_status")
    assert list(changes) == [("Nouvelle", "En cours"), ("En cours", "Terminée")]


def test_an_order_all_of_whose_shops_refuse_is_cancelled(two_shops):
    t = two_shops
    order = order_place((t["bread"], 1), (t["honey"], 1))
    for part in order.shop_orders.all():
        shop_order_transition(shop_order=part, to_status=S.REFUSED, reason="Rupture")
    assert Order.objects.get().status == "Annulée"


# --- Payment ---------------------------------------------------------------------------------


def test_marking_a_shop_order_paid_records_who_and_when_once():
    shop_order = one_shop_order(status=S.COLLECTED)
    by = merchant_create(shop_order.shop)

    paid = services.shop_order_mark_paid(shop_order=shop_order, by=by)
    again = services.shop_order_mark_paid(shop_order=shop_order, by=by)

    assert paid.is_paid and paid.paid_at is not None and again.paid_at == paid.paid_at
    event = ShopOrderEvent.objects.get()
    assert (event.actor, event.from_status, event.to_status) == (by, S.COLLECTED, S.COLLECTED)


def test_a_refused_shop_order_cannot_be_marked_paid():
    shop_order = one_shop_order(status=S.REFUSED)
    with pytest.raises(ValidationError):
        services.shop_order_mark_paid(shop_order=shop_order, by=None)
    assert not ShopOrder.objects.get(pk=shop_order.pk).is_paid


# --- Selectors -------------------------------------------------------------------------------


def test_merchant_sees_only_their_own_shops_part_of_an_order(two_shops):
    t = two_shops
    order = order_place((t["bread"], 1), (t["honey"], 1))
    baker = merchant_create(t["bakery"])
    bakery_part = order.shop_orders.get(shop=t["bakery"])
    grocer_part = order.shop_orders.get(shop=t["grocer"])

    assert list(selectors.shop_orders_of_merchant(user=baker)) == [bakery_part]
    grocer = merchant_create(t["grocer"])
    assert list(selectors.shop_orders_of_merchant(user=grocer)) == [grocer_part]
    got = selectors.shop_order_get_by_number_for_merchant(user=baker, number=bakery_part.number)
    assert got == bakery_part


def test_merchant_cannot_open_another_shops_order(two_shops):
    t = two_shops
    order = order_place((t["bread"], 1), (t["honey"], 1))
    baker = merchant_create(t["bakery"])
    grocer_part = order.shop_orders.get(shop=t["grocer"])

    with pytest.raises(Http404):
        selectors.shop_order_get_by_number_for_merchant(user=baker, number=grocer_part.number)


def test_customer_sees_only_their_own_orders_shop_orders(two_shops):
    t = two_shops
    User = get_user_model()
    camille = User.objects.create_user("camille", "camille@example.fr", "x")
    louis = User.objects.create_user("louis", "louis@example.fr", "x")
    mine = order_place((t["bread"], 1), (t["honey"], 1), user=camille)
    order_place((t["cake"], 1), user=louis)

    [order] = selectors.customer_orders(user=camille)
    assert order == mine
    assert set(order.shop_orders.all()) == set(mine.shop_orders.all())
    assert selectors.customer_orders(user=louis).get().user == louis
    with pytest.raises(Http404):
        selectors.customer_order_get(user=louis, number=mine.number)


def test_anonymous_visitor_sees_no_shop_order(two_shops):
    from django.contrib.auth.models import AnonymousUser

    order = order_place((two_shops["bread"], 1))
    with pytest.raises(Http404):
        selectors.customer_order_get(user=AnonymousUser(), number=order.number)
    assert list(selectors.shop_orders_of_merchant(user=AnonymousUser())) == []


@pytest.mark.parametrize("shops", [2, 6])
def test_an_order_with_its_shop_orders_loads_in_constant_queries(shops, django_assert_num_queries):
    items = []
    for n in range(shops):
        shop = ShopFactory(name=f"Boutique {n:02d}")
        items += [(product_offered(title=f"Article {n}-{k}", shop=shop), 1) for k in range(2)]
    order = order_place(*items)

    with django_assert_num_queries(3):
        loaded = selectors.order_with_shop_orders(order=order)
        parts = [
            (so.number, so.shop.name, [line.product.title for line in so.shop_lines])
            for so in loaded.shop_orders.all()
        ]

    assert [name for _, name, _ in parts] == [f"Boutique {n:02d}" for n in range(shops)]
    assert all(len(titles) == 2 for _, _, titles in parts)
    assert parts[0][2] == ["Article 0-0", "Article 0-1"]


def test_shop_order_numbers_follow_shop_names_as_a_french_reader_sorts_them():
    names = ["fromagerie du Lac", "Épicerie Centrale", "Boulangerie Zola"]
    items = [(product_offered(title=name, shop=ShopFactory(name=name)), 1) for name in names]
    order = order_place(*items)

    numbered = order.shop_orders.order_by("number").values_list("shop__name", flat=True)
    assert list(numbered) == ["Boulangerie Zola", "Épicerie Centrale", "fromagerie du Lac"]
