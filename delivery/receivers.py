"""How the delivery app follows shop orders (it hears them through `orders.signals`)."""

from delivery.services import slot_release
from orders.workflow import ABANDONED


def shop_order_slot_release(sender, *, shop_order, to_status: str, **kwargs) -> None:
    """A refused or cancelled shop order gives its pickup or delivery slot back."""
    if to_status in ABANDONED:
        slot_release(reference=shop_order.number)


def shop_order_round_leave(sender, *, shop_order, to_status: str, **kwargs) -> None:
    """A refused or cancelled shop order leaves the round it was to be delivered in (and the
    round's pickup at its shop, when no other parcel is left there), in the same transaction."""
    if to_status in ABANDONED:
        from delivery.rounds import shop_order_round_leave as leave

        leave(shop_order=shop_order)
