"""Order e-mails, written in the outbox (`messaging`) with the order or the status change.

The kinds below are registered at the app's ready() (`kinds_register`): messaging renders
them at send time from the row's `object_id`, with the context builders here.
"""

from django.urls import reverse
from oscar.core.loading import get_model

from messaging.emails import absolute_url
from messaging.registry import kind_register
from messaging.services import message_add
from orders.models import ShopOrder, ShopOrderEvent
from orders.selectors import order_with_shop_orders

Order = get_model("order", "Order")
Line = get_model("order", "Line")

ORDER_CONFIRMATION = "order_confirmation"
SHOP_NEW_ORDER = "shop_new_order"
STATUS_CHANGED = "status_changed"


def order_notifications_add(*, order, shop_orders: list[ShopOrder]) -> None:
    """The resident's confirmation, and each shop's alert about its own part."""
    message_add(
        kind=ORDER_CONFIRMATION,
        key=f"order-confirmation:{order.pk}",
        object_id=order.pk,
        recipients=[order.email],
    )
    for shop_order in shop_orders:
        message_add(
            kind=SHOP_NEW_ORDER,
            key=f"shop-new-order:{shop_order.pk}",
            object_id=shop_order.pk,
            recipients=shop_recipients(shop_order.shop),
        )


def shop_order_status_notification_add(*, event: ShopOrderEvent) -> None:
    """Tell the resident that one shop moved their part of the order."""
    order = Order.objects.select_related("user").get(pk=event.shop_order.order_id)
    message_add(
        kind=STATUS_CHANGED,
        key=f"status:{event.pk}",
        object_id=event.pk,
        recipients=[order.email],
    )


def shop_recipients(shop) -> list[str]:
    """The shop's own address, else the addresses of the people who work for it."""
    if shop.email:
        return [shop.email]
    return list(shop.users.filter(is_active=True).values_list("email", flat=True))


# Rendering, at send time --------------------------------------------------------------------


def kinds_register() -> None:
    kind_register(ORDER_CONFIRMATION, template="order_confirmation", context=_confirmation)
    kind_register(SHOP_NEW_ORDER, template="shop_new_order", context=_shop_new_order)
    kind_register(STATUS_CHANGED, template="shop_order_status_changed", context=_status_changed)


def _order_url(order) -> str:
    return absolute_url(reverse("customer:order", kwargs={"order_number": order.number}))


def _confirmation(message) -> dict:
    order = order_with_shop_orders(order=Order(pk=message.object_id))
    return {"order": order, "shop_orders": order.shop_orders.all(), "order_url": _order_url(order)}


def _shop_new_order(message) -> dict:
    shop_order = ShopOrder.objects.select_related(
        "shop", "order__shipping_address", "order__user"
    ).get(pk=message.object_id)
    lines = Line.objects.filter(order_id=shop_order.order_id, partner_id=shop_order.shop_id)
    return {
        "shop_order": shop_order,
        "order": shop_order.order,
        "lines": lines.order_by("pk"),
        "dashboard_url": absolute_url(
            reverse(
                "shop-orders:detail",
                kwargs={"slug": shop_order.shop.code, "number": shop_order.number},
            )
        ),
    }


def _status_changed(message) -> dict:
    event = ShopOrderEvent.objects.select_related("shop_order__shop", "shop_order__order").get(
        pk=message.object_id
    )
    order = event.shop_order.order
    return {"event": event, "shop_order": event.shop_order, "order_url": _order_url(order)}
