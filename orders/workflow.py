"""The status workflow of a shop order, and the overall order status that follows from it.

Pure rules, no database: the services (`orders.services`) apply them under a row lock.

Click & collect: new → accepted → ready → collected.
Delivery:        new → accepted → ready → handed_to_courier → delivered;
                 handed_to_courier → delivery_failed (a reason: absent, wrong address, refused)
                 → handed_to_courier again (re-planned in a later round) or cancelled.
Either:          new → refused; new, accepted or ready → cancelled (a reason is required for both).

`ready` may still be cancelled (the customer never came, a product turned out damaged); once
the goods have left the shop (collected, handed to the courier) the order can no longer be
cancelled from this workflow: that is a return, not a cancellation; except after a failed
delivery, when the parcel comes back to the shop.
"""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from orders.models import ShopOrderFulfilment as Fulfilment
from orders.models import ShopOrderStatus as Status

_COMMON: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ACCEPTED, Status.REFUSED, Status.CANCELLED}),
    Status.ACCEPTED: frozenset({Status.READY, Status.CANCELLED}),
}

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Fulfilment.CLICK_COLLECT: {
        **_COMMON,
        Status.READY: frozenset({Status.COLLECTED, Status.CANCELLED}),
    },
    Fulfilment.DELIVERY: {
        **_COMMON,
        Status.READY: frozenset({Status.HANDED_TO_COURIER, Status.CANCELLED}),
        Status.HANDED_TO_COURIER: frozenset({Status.DELIVERED, Status.DELIVERY_FAILED}),
        Status.DELIVERY_FAILED: frozenset({Status.HANDED_TO_COURIER, Status.CANCELLED}),
    },
}

#: Moving to these statuses needs a reason, shown to the customer.
REASON_REQUIRED = frozenset({Status.REFUSED, Status.CANCELLED, Status.DELIVERY_FAILED})
#: The shop order ends without the goods being handed over: its stock is released.
ABANDONED = frozenset({Status.REFUSED, Status.CANCELLED})
#: The goods reached the customer.
DONE = frozenset({Status.COLLECTED, Status.DELIVERED})


def allowed_next(*, fulfilment: str, status: str) -> frozenset[str]:
    """The statuses a shop order of this fulfilment may move to from `status`."""
    return TRANSITIONS[fulfilment].get(status, frozenset())


def is_allowed(*, fulfilment: str, from_status: str, to_status: str) -> bool:
    return to_status in allowed_next(fulfilment=fulfilment, status=from_status)


class OrderStatus:
    """The overall Oscar `Order.status`, stored as its French label as Oscar does.

    Keep `OSCAR_INITIAL_ORDER_STATUS` / `OSCAR_ORDER_STATUS_PIPELINE` in line with these values.
    """

    NEW = "Nouvelle"
    IN_PROGRESS = "En cours"
    DONE = "Terminée"
    CANCELLED = "Annulée"

    ALL = (NEW, IN_PROGRESS, DONE, CANCELLED)
    LABELS = {
        NEW: _("Nouvelle"),
        IN_PROGRESS: _("En cours"),
        DONE: _("Terminée"),
        CANCELLED: _("Annulée"),
    }


def order_status_for(statuses: Iterable[str]) -> str:
    """The overall order status from the statuses of its shop orders.

    - every shop order refused or cancelled (or none at all) → "Annulée";
    - otherwise, leaving the refused/cancelled ones aside:
      all collected/delivered → "Terminée"; all still new → "Nouvelle"; else → "En cours".
    """
    active = [status for status in statuses if status not in ABANDONED]
    if not active:
        return OrderStatus.CANCELLED
    if all(status in DONE for status in active):
        return OrderStatus.DONE
    if all(status == Status.NEW for status in active):
        return OrderStatus.NEW
    return OrderStatus.IN_PROGRESS
