"""Oscar's order placement, taught to split every order by shop.

Oscar loads `get_class("order.utils", "OrderCreator")` from this module because the `order` app
is forked here; every checkout (Oscar's views, ours, the tests) places orders through it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.utils import OrderCreator as CoreOrderCreator

from orders.fulfilment import fulfilment_provider
from orders.models import ShopOrder
from orders.outbox import order_notifications_add, shop_orders_stock_told
from orders.services import basket_stock_lock, shop_orders_create


class OrderCreator(CoreOrderCreator):
    def place_order(
        self,
        basket,
        total,
        shipping_method,
        shipping_charge,
        user=None,
        shipping_address=None,
        billing_address=None,
        order_number=None,
        status=None,
        request=None,
        surcharges=None,
        shop_fulfilments=None,
        pays_online=False,
        **kwargs,
    ):
        """Oscar's placement, then one `ShopOrder` per shop, all in one transaction.

        The basket's offers are locked and their stock checked again first
        (`basket_stock_lock`): an offer sold out meanwhile stops the placement with a message.

        `shop_fulfilments` (`{shop_id: ShopFulfilment}`, from the checkout) says how each
        shop hands its part over; a shop left out is click & collect without shipping. Note
        that Oscar sends `order_placed` before the split, inside this transaction: a receiver
        that needs the shop orders must read them in `transaction.on_commit`. The order
        e-mails are written in the outbox here, unless the order is paid online
        (`pays_online`): then once the payment is recorded.
        """
        with transaction.atomic():
            basket_stock_lock(basket=basket)
            order = super().place_order(
                basket,
                total,
                shipping_method,
                shipping_charge,
                user=user,
                shipping_address=shipping_address,
                billing_address=billing_address,
                order_number=order_number,
                status=status,
                request=request,
                surcharges=surcharges,
                **kwargs,
            )
            shop_orders = shop_orders_create(order=order, fulfilments=shop_fulfilments)
            slots_book(shop_orders)
            shop_orders_stock_told(shop_orders=shop_orders)
            if not pays_online:  # else once paid (orders.payments.services)
                order_notifications_add(order=order, shop_orders=shop_orders)
        return order


def slots_book(shop_orders: list[ShopOrder]) -> None:
    """Book each shop order's slot, under the slot's row lock, in the placement's transaction:
    a slot filled or gone by meanwhile stops the whole placement (`UnableToPlaceOrder`, shown
    by Oscar's checkout), and nothing of the order remains."""
    provider = fulfilment_provider()
    # One global order on slot rows (delivery slots first, then by shop, then by time), so
    # two placements booking the same slots lock them in the same order: no deadlock.
    for shop_order in sorted((so for so in shop_orders if so.slot_start), key=_slot_lock_key):
        try:
            provider.slot_book(
                delivery=shop_order.fulfilment == ShopOrder.Fulfilment.DELIVERY,
                shop=shop_order.shop,
                start=shop_order.slot_start,
                reference=shop_order.number,
            )
        except ValidationError as error:
            raise UnableToPlaceOrder(f"{shop_order.shop.name} : {error.messages[0]}") from error


def _slot_lock_key(shop_order: ShopOrder) -> tuple:
    delivery = shop_order.fulfilment == ShopOrder.Fulfilment.DELIVERY
    return (not delivery, 0 if delivery else shop_order.shop_id, shop_order.slot_start)
