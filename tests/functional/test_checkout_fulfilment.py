"""The marketplace checkout: each shop of the basket handed over its own way (click & collect
in a slot at the shop, or delivery in a town slot to an address in a delivery zone), fees per
shop summed in the total, slots booked with the order; and every bad input refused with a
clear message and nothing changed."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from delivery.models import Slot, SlotBooking
from orders.models import ShopOrder
from orders.services import shop_order_transition
from tests.checkout import (
    ADDRESS,
    basket_fill,
    checkout,
    checkout_to_preview,
    fulfilment_data,
    order_place,
    zone_create,
)
from tests.factories import ShopFactory, merchant_create, product_offered, week_hours

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
METHOD_URL = reverse("checkout:shipping-method")
ADDRESS_URL = reverse("checkout:shipping-address")
PREVIEW_URL = reverse("checkout:preview")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def open_shop(name, *, delivers=False):
    shop = ShopFactory(name=name, offers_delivery=delivers)
    week_hours(shop)
    return shop


@pytest.fixture
def town():
    fromagerie = open_shop("Fromagerie du Lac")
    librairie = open_shop("Librairie des Arcades", delivers=True)
    zone_create(postcodes=("73100",), fee="3.50", minimum="10.00")
    return {
        "fromagerie": fromagerie,
        "librairie": librairie,
        "comte": product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90"),
        "novel": product_offered(title="Roman du lac", shop=librairie, price="19.00"),
    }


@pytest.fixture
def resident(client):
    user = get_user_model().objects.create_user("camille", "camille@example.fr", "x")
    client.force_login(user)
    return user


def test_one_shop_collected_one_delivered_each_with_its_slot_and_fee(client, town, resident):
    order = checkout(client, town["comte"], town["novel"], modes={town["librairie"].pk: "delivery"})

    cheese, books = order.shop_orders.order_by("number")
    assert cheese.fulfilment == ShopOrder.Fulfilment.CLICK_COLLECT
    assert (cheese.lines_total, cheese.shipping_total, cheese.total) == (
        Decimal("13.80"),
        Decimal("0.00"),
        Decimal("13.80"),
    )
    assert books.fulfilment == ShopOrder.Fulfilment.DELIVERY
    assert (books.lines_total, books.shipping_total, books.total) == (
        Decimal("38.00"),
        Decimal("3.50"),
        Decimal("41.50"),
    )
    assert order.total_incl_tax == cheese.total + books.total == Decimal("55.30")
    assert order.shipping_incl_tax == Decimal("3.50")
    assert order.shipping_address.postcode == "73100"
    for shop_order, kind in ((cheese, Slot.Kind.PICKUP), (books, Slot.Kind.DELIVERY)):
        assert shop_order.slot_start < shop_order.slot_end
        booking = SlotBooking.objects.get(reference=shop_order.number)
        assert (booking.slot.kind, booking.slot.start) == (kind, shop_order.slot_start)
        assert booking.slot.booked == 1
    assert SlotBooking.objects.get(reference=cheese.number).slot.shop == town["fromagerie"]


def test_click_and_collect_only_asks_no_address(client, town, resident):
    basket_fill(client, town["comte"])
    page = client.get(METHOD_URL)
    response = client.post(METHOD_URL, fulfilment_data(page))
    assert response["Location"] == reverse("checkout:payment-method")
    assert client.get(ADDRESS_URL)["Location"] == reverse("checkout:payment-method")

    order = order_place(client, checkout_to_preview(client)) and Order.objects.get()

    assert order.shipping_address is None and order.shipping_incl_tax == Decimal("0.00")


def test_preview_shows_each_shop_its_slot_fee_and_the_summed_total(client, town, resident):
    basket_fill(client, town["comte"], town["novel"])
    preview = checkout_to_preview(client, modes={town["librairie"].pk: "delivery"})

    html = preview.content.decode()
    for text in ("Fromagerie du Lac", "Librairie des Arcades", "Retrait en boutique"):
        assert text in html
    assert "Livraison à domicile" in html and "3,50" in html and "55,30" in html
    assert [part.shipping for part in preview.context["shop_parts"]] == [
        Decimal("0.00"),
        Decimal("3.50"),
    ]


def test_a_slot_not_offered_is_refused_and_nothing_is_kept(client, town, resident):
    basket_fill(client, town["comte"])
    page = client.get(METHOD_URL)
    data = fulfilment_data(page)
    slot_field = next(name for name in data if name.endswith("pickup_slot"))
    month_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=30)
    data[slot_field] = month_ago.replace(minute=0, second=0, microsecond=0).isoformat()

    response = client.post(METHOD_URL, data)

    assert response.status_code == 200
    assert "Ce créneau n&#x27;est plus proposé" in response.content.decode()
    assert client.get(PREVIEW_URL)["Location"] == METHOD_URL


def test_a_shop_id_not_in_the_basket_is_refused(client, town, resident):
    basket_fill(client, town["comte"])
    data = fulfilment_data(client.get(METHOD_URL))
    stranger = open_shop("Boutique étrangère")
    data[f"shop-{stranger.pk}-fulfilment"] = "click_collect"

    response = client.post(METHOD_URL, data)

    assert response.status_code == 200
    assert "une boutique n&#x27;y figure plus" in response.content.decode()
    assert client.get(PREVIEW_URL)["Location"] == METHOD_URL


def test_delivery_from_a_shop_that_does_not_deliver_is_refused(client, town, resident):
    basket_fill(client, town["comte"])
    data = fulfilment_data(client.get(METHOD_URL))
    data[f"shop-{town['fromagerie'].pk}-fulfilment"] = "delivery"

    response = client.post(METHOD_URL, data)

    assert response.status_code == 200
    assert "ne propose pas ce mode de remise" in response.content.decode()


def test_an_address_outside_the_zones_is_refused_with_the_reason(client, town, resident):
    basket_fill(client, town["novel"])
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))

    response = client.post(ADDRESS_URL, {**ADDRESS, "postcode": "38000"})

    assert response.status_code == 200
    assert "Nous ne livrons pas encore à cette adresse" in response.content.decode()
    assert client.get(PREVIEW_URL)["Location"] == ADDRESS_URL
    assert not Order.objects.exists()


def test_a_delivery_below_the_zone_minimum_says_what_is_missing(client, town, resident):
    basket_fill(client, town["novel"], quantity=1)
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))
    town["novel"].stockrecords.update(price=Decimal("8.00"))
    basket_fill(client)  # prices are read again on the next page

    response = client.post(ADDRESS_URL, ADDRESS)

    html = response.content.decode()
    assert response.status_code == 200 and "demande au moins 10,00" in html, html[:300]


def test_a_delivery_needs_a_phone_number(client, town, resident):
    basket_fill(client, town["novel"])
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))

    response = client.post(ADDRESS_URL, {**ADDRESS, "phone_number": ""})

    assert response.status_code == 200 and "Indiquez un téléphone" in response.content.decode()


def test_an_address_book_entry_outside_the_zones_is_refused(client, town, resident):
    france = Country.objects.get(iso_3166_1_a2="FR")
    far = UserAddress.objects.create(
        user=resident,
        first_name="C",
        last_name="M",
        line1="1 rue",
        line4="Grenoble",
        postcode="38000",
        country=france,
    )
    other = get_user_model().objects.create_user("other", "other@example.fr", "x")
    theirs = UserAddress.objects.create(
        user=other,
        first_name="O",
        last_name="T",
        line1="2 rue",
        line4="Aix-les-Bains",
        postcode="73100",
        country=france,
    )
    basket_fill(client, town["novel"])
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))

    refused = client.post(ADDRESS_URL, {"address_id": far.pk, "action": "ship_to"}, follow=True)
    assert "Nous ne livrons pas encore" in refused.content.decode()
    assert (
        client.post(ADDRESS_URL, {"address_id": theirs.pk, "action": "ship_to"}).status_code == 404
    )
    assert client.get(PREVIEW_URL)["Location"] == ADDRESS_URL


def test_a_tampered_total_places_no_order(client, town, resident):
    basket_fill(client, town["comte"])
    checkout_to_preview(client)

    response = client.post(PREVIEW_URL, {"action": "place_order", "total": "0.01"}, follow=True)

    assert "Le total de votre commande a changé" in response.content.decode()
    assert not Order.objects.exists() and not SlotBooking.objects.exists()
    assert client.post(PREVIEW_URL, {"action": "place_order"}).status_code == 302
    assert not Order.objects.exists()


def _fill(shop_order_slot_start, *, shop=None, kind=Slot.Kind.PICKUP):
    start = datetime.datetime.fromisoformat(shop_order_slot_start)
    Slot.objects.update_or_create(
        kind=kind,
        shop=shop,
        start=start,
        defaults={"end": start + datetime.timedelta(minutes=30), "capacity": 1, "booked": 1},
    )


def test_a_slot_filled_before_confirmation_sends_back_to_the_choice(client, town, resident):
    basket_fill(client, town["comte"])
    page = client.get(METHOD_URL)
    data = fulfilment_data(page)
    client.post(METHOD_URL, data)
    preview = checkout_to_preview(client)
    slot = next(value for name, value in data.items() if name.endswith("pickup_slot"))
    _fill(slot, shop=town["fromagerie"])

    response = order_place(client, preview)

    assert response["Location"] == METHOD_URL
    assert not Order.objects.exists() and not ShopOrder.objects.exists()
    follow = client.get(METHOD_URL)
    assert "n&#x27;est plus disponible" in follow.content.decode() or follow.status_code == 200


def test_a_slot_filled_during_placement_rolls_the_whole_order_back(client, town, resident):
    """The slot is free when the preview is checked, full when it is booked (a concurrent
    checkout took the last place): the placement stops, nothing of the order remains."""
    from orders.checkout import session as checkout_session

    basket_fill(client, town["comte"])
    preview = checkout_to_preview(client)
    real_plan = checkout_session.CheckoutSessionMixin.fulfilment_plan

    def plan_then_fill(view, *args, **kwargs):
        plan = real_plan(view, *args, **kwargs)
        part = plan.parts[0]
        _fill(part.slot.start.isoformat(), shop=part.shop)
        return plan

    checkout_session.CheckoutSessionMixin.fulfilment_plan = plan_then_fill
    try:
        response = order_place(client, preview)
    finally:
        checkout_session.CheckoutSessionMixin.fulfilment_plan = real_plan

    assert response.status_code == 200
    assert "Ce créneau est complet" in response.content.decode() or response.context["error"]
    assert not Order.objects.exists() and not ShopOrder.objects.exists()
    assert not get_model("order", "ShippingAddress").objects.exists()
    assert not town["comte"].stockrecords.get().num_allocated


def test_a_refused_shop_order_gives_its_slot_back(client, town, resident):
    order = checkout(client, town["comte"])
    shop_order = order.shop_orders.get()
    slot = SlotBooking.objects.get(reference=shop_order.number).slot
    merchant = merchant_create(town["fromagerie"])

    shop_order_transition(
        shop_order=shop_order, to_status="refused", by=merchant, reason="Rupture de stock"
    )

    assert not SlotBooking.objects.filter(reference=shop_order.number).exists()
    slot.refresh_from_db()
    assert slot.booked == 0


@pytest.mark.parametrize("shops, lines_per_shop", [(1, 1), (4, 3)])
def test_basket_and_checkout_queries_do_not_grow_with_shops_and_lines(
    client, resident, django_assert_max_num_queries, shops, lines_per_shop
):
    zone_create()
    products = []
    for n in range(shops):
        shop = open_shop(f"Boutique {n}", delivers=True)
        products += [
            product_offered(title=f"Article {n}-{i}", shop=shop, price="12.00")
            for i in range(lines_per_shop)
        ]
    basket_fill(client, *products, quantity=1)
    modes = {shop.pk: "delivery" for shop in get_model("partner", "Partner").objects.all()[:1]}
    checkout_to_preview(client, modes=modes)

    with django_assert_max_num_queries(23):  # with the catalogue version, read once
        assert client.get(reverse("basket:summary")).status_code == 200
    with django_assert_max_num_queries(27):
        assert client.get(METHOD_URL).status_code == 200
    with django_assert_max_num_queries(23):
        assert client.get(PREVIEW_URL).status_code == 200


def test_the_confirmation_page_shows_each_shop_its_slot_and_the_total(client, town, resident):
    order = checkout(client, town["comte"], town["novel"], modes={town["librairie"].pk: "delivery"})
    cheese, books = order.shop_orders.order_by("number")

    page = client.get(reverse("checkout:thank-you"))

    html = page.content.decode()
    assert page.status_code == 200 and f"Votre commande {order.number} est enregistrée" in html
    for text in (cheese.number, books.number, "Comté 18 mois", "Roman du lac", "55,30"):
        assert text in html
    assert "Retrait en boutique" in html and "Livraison à domicile" in html
    assert "au retrait ou à la livraison" in html


# --- One delivery, one fee (issue 15, §2) ----------------------------------------------------


@pytest.fixture
def two_delivering(town):
    cheese = open_shop("Crèmerie des Alpes", delivers=True)
    return {
        **town,
        "creamery": cheese,
        "tomme": product_offered(title="Tomme de Savoie", shop=cheese, price="2.90"),
    }


def test_two_shops_delivered_in_one_slot_pay_the_zone_fee_once_split_by_goods(
    client, two_delivering, resident
):
    town = two_delivering
    modes = {town["librairie"].pk: "delivery", town["creamery"].pk: "delivery"}
    order = checkout(client, town["novel"], town["tomme"], modes=modes)  # 38.00 and 5.80

    creamery, books = order.shop_orders.order_by("shop__name")
    assert creamery.slot_start == books.slot_start  # one drop, one address
    assert creamery.shipping_total + books.shipping_total == Decimal("3.50")
    # 3.50 × 5.80 / 43.80 = 0.46 and 3.50 × 38 / 43.80 = 3.03: the cent left goes to the larger.
    assert (creamery.shipping_total, books.shipping_total) == (Decimal("0.46"), Decimal("3.04"))
    assert order.shipping_incl_tax == Decimal("3.50")
    assert order.total_incl_tax == Decimal("47.30")


def test_the_minimum_order_applies_to_the_drop_not_to_each_shop(client, two_delivering, resident):
    town = two_delivering
    bookmark = product_offered(title="Marque-page", shop=town["librairie"], price="4.00")
    modes = {town["librairie"].pk: "delivery", town["creamery"].pk: "delivery"}
    # 5.80 of cheese and 8.00 of bookmarks: each below the 10.00 minimum, together above it.
    order = checkout(client, bookmark, town["tomme"], modes=modes)
    assert sorted(so.lines_total for so in order.shop_orders.all()) == [
        Decimal("5.80"),
        Decimal("8.00"),
    ]
    assert sum(so.shipping_total for so in order.shop_orders.all()) == Decimal("3.50")


def test_a_drop_below_the_minimum_is_refused_naming_its_shop(client, two_delivering, resident):
    town = two_delivering
    basket_fill(client, town["tomme"])
    page = client.get(METHOD_URL)
    assert client.post(METHOD_URL, fulfilment_data(page, {town["creamery"].pk: "delivery"}))
    response = client.post(ADDRESS_URL, ADDRESS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Crèmerie des Alpes : " in html and "demande au moins 10,00" in html, html[:300]
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "fee, amounts, shares",
    [
        ("3.50", ["38.00", "5.80"], ["3.04", "0.46"]),
        ("3.90", ["10.00", "10.00"], ["1.95", "1.95"]),
        ("1.00", ["1.00", "1.00", "1.00"], ["0.34", "0.33", "0.33"]),
        ("2.00", ["0.00", "0.00"], ["1.00", "1.00"]),
        ("0.00", ["12.00", "3.00"], ["0.00", "0.00"]),
    ],
)
def test_the_fee_split_is_proportional_to_the_cent_and_sums_to_the_fee(fee, amounts, shares):
    from orders.checkout.plan import fee_split

    split = fee_split(Decimal(fee), [Decimal(a) for a in amounts])
    assert split == [Decimal(s) for s in shares]
    assert sum(split) == Decimal(fee)


def test_step_one_groups_each_shops_slots_by_day(client, town, resident):
    basket_fill(client, town["comte"])
    html = client.get(METHOD_URL).content.decode()
    assert html.count("<optgroup label=") >= 2  # open six days a week: several days
    assert "data-dx-slots" in html and 'data-dx-mode="click_collect"' in html


def test_the_address_step_marks_the_phone_required_and_says_every_error_at_once(
    client, town, resident
):
    basket_fill(client, town["novel"])
    page = client.get(METHOD_URL)
    client.post(METHOD_URL, fulfilment_data(page, {town["librairie"].pk: "delivery"}))
    form = client.get(ADDRESS_URL).content.decode()
    assert "Téléphone (pour le livreur)" in form
    response = client.post(ADDRESS_URL, {**ADDRESS, "postcode": "75001", "phone_number": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez un téléphone" in html
    assert set(response.context["form"].errors) == {"phone_number", "postcode"}
