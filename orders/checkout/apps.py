"""Oscar's checkout, forked: the resident chooses per shop how to receive their items
(click & collect or delivery, and a slot), then the order is placed split by shop."""

import oscar.apps.checkout.apps as apps


class CheckoutConfig(apps.CheckoutConfig):
    name = "orders.checkout"
