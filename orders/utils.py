"""Oscar's order placement, taught to split every order by shop.

Oscar loads `get_class("order.utils", "OrderCreator")` from this module because the `order` app
is forked here; every checkout (Oscar's views, ours, the tests) places orders through it.
"""

from django.db import transaction
from oscar.apps.order.utils import OrderCreator as CoreOrderCreator

from orders.services import shop_orders_create


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
        **kwargs,
    ):
        """Oscar's placement, then one `ShopOrder` per shop, all in one transaction.

        `shop_fulfilments` (`{shop_id: ShopFulfilment}`, from the checkout) says how each
        shop hands its part over; a shop left out is click & collect without shipping. Note
        that Oscar sends `order_placed` before the split, inside this transaction: a receiver
        that needs the shop orders must read them in `transaction.on_commit`.
        """
        with transaction.atomic():
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
            shop_orders_create(order=order, fulfilments=shop_fulfilments)
        return order
