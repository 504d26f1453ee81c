"""Shop orders made quickly, without going through the checkout pages: a resident's order of
one shop's offer, placed by our OrderCreator (split by shop), then given the mode and slot a
test needs. Times are computed from now (tests/clock.py moves it)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from orders.models import ShopOrder
from tests.factories import ProductFactory, StockRecordFactory

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
Strategy = get_class("partner.strategy", "Default")

#: The resident's home: it must never show on a click & collect order's pages.
HOME = {"line1": "12 rue des Secrets", "line4": "Aix-les-Bains", "postcode": "73100"}


def slot_at(*, days: int = 0, hour: int = 10) -> datetime.datetime:
    """`hour` o'clock (town time) `days` days from today: an aware datetime."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def shop_order_place(
    shop,
    *,
    fulfilment: str = ShopOrder.Fulfilment.CLICK_COLLECT,
    slot_start: datetime.datetime | None = None,
    customer: tuple[str, str] = ("Camille", "Martin"),
    offer=None,
    quantity: int = 1,
) -> ShopOrder:
    """A resident's order of `shop` (a new offer unless given), with a shipping address at
    their home and a phone number, as the checkout records one for any mode."""
    from shops.services import basket_offer_add

    offer = offer or StockRecordFactory(partner=shop, product=ProductFactory(title="Tarte"))
    basket = Basket.objects.create()
    basket.strategy = Strategy()
    basket_offer_add(basket=basket, stockrecord=offer, quantity=quantity)
    country, _ = Country.objects.get_or_create(
        iso_3166_1_a2="FR", defaults={"name": "France", "printable_name": "France"}
    )
    first_name, last_name = customer
    address = ShippingAddress.objects.create(
        first_name=first_name,
        last_name=last_name,
        country=country,
        phone_number="+33612345678",
        **HOME,
    )
    users = get_user_model().objects
    user = users.create_user(f"r{users.count()}", f"r{users.count()}@example.fr", "x")
    order = create_order(basket=basket, user=user, shipping_address=address)
    shop_order = order.shop_orders.get()
    slot_end = slot_start + datetime.timedelta(minutes=30) if slot_start else None
    ShopOrder.objects.filter(pk=shop_order.pk).update(
        fulfilment=fulfilment, slot_start=slot_start, slot_end=slot_end
    )
    shop_order.refresh_from_db()
    return shop_order
