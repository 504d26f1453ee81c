"""Oscar's order signals, and ours for shop orders.

`shop_order_status_changed` is sent inside the transaction that moved a shop order, so a
receiver's writes (the delivery app gives back a refused order's slot) commit or roll back
with the move. Receivers get `shop_order`, `from_status` and `to_status`.
"""

from django.dispatch import Signal
from oscar.apps.order.signals import *  # noqa: F403 - keep Oscar's signals under the forked label

shop_order_status_changed = Signal()
