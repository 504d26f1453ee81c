"""Order e-mails and pushes, written in the outbox (`messaging`) with the order or the status
change.

The kinds below are registered at the app's ready() (`kinds_register`): messaging renders
them at send time from the row's `object_id`, with the context builders here. A new shop
order also rings on each phone of the shop's team that took Web Push (`SHOP_NEW_ORDER_PUSH`,
one row per phone); the e-mail is sent as before.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from messaging.emails import absolute_url
from messaging.push import push_enabled
from messaging.registry import kind_register
from messaging.selectors import push_subscriptions_of
from messaging.services import message_add
from orders.models import ShopOrder, ShopOrderEvent
from orders.selectors import order_with_shop_orders
from shops.team_selectors import shop_team_accounts

Order = get_model("order", "Order")
Line = get_model("order", "Line")

ORDER_CONFIRMATION = "order_confirmation"
SHOP_NEW_ORDER = "shop_new_order"
SHOP_NEW_ORDER_PUSH = "shop_new_order_push"
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
        shop_new_order_pushes_add(shop_order=shop_order)
        shop_order_webhooks_add(shop_order=shop_order, events=["shop_order.created"])


def shop_orders_stock_told(*, shop_orders: list[ShopOrder]) -> None:
    """At placement, once the stock is allocated: each shop's WooCommerce site loses the
    units sold here, and its webhooks hear of the offers that just ran out."""
    from orders.selectors import shop_order_lines
    from shops.services.webhooks import offers_out_of_stock_add
    from shops.services.woocommerce import woo_stock_pushes_add

    for shop_order in shop_orders:
        lines = list(
            shop_order_lines(shop_order=shop_order)
            .filter(stockrecord__isnull=False)
            .select_related("stockrecord__product")
        )
        woo_stock_pushes_add(
            shop_id=shop_order.shop_id,
            moves=[
                (line.stockrecord_id, -line.quantity, f"order:{shop_order.number}:{line.pk}")
                for line in lines
            ],
        )
        ran_out = {line.stockrecord_id: line.stockrecord for line in lines}
        offers_out_of_stock_add(
            shop=shop_order.shop,
            offers=[offer for offer in ran_out.values() if offer.net_stock_level <= 0],
        )


def shop_new_order_pushes_add(*, shop_order: ShopOrder) -> int:
    """One push per phone of the shop's team, each once (its key names the shop order and the
    subscription); none while push is off. Returns how many were written."""
    if not push_enabled():
        return 0
    written = 0
    team = shop_team_accounts(shop=shop_order.shop)
    for subscription in push_subscriptions_of(users=team):
        message = message_add(
            kind=SHOP_NEW_ORDER_PUSH,
            key=f"shop-new-order-push:{shop_order.pk}:{subscription.pk}",
            object_id=shop_order.pk,
            recipients=[subscription.endpoint],
            context={"subscription_id": subscription.pk},
        )
        written += message is not None
    return written


def shop_order_status_notification_add(*, event: ShopOrderEvent) -> None:
    """Tell the resident that one shop moved their part of the order (and the shop's own
    tools, through its webhooks)."""
    order = Order.objects.select_related("user").get(pk=event.shop_order.order_id)
    message_add(
        kind=STATUS_CHANGED,
        key=f"status:{event.pk}",
        object_id=event.pk,
        recipients=[order.email],
    )
    events = ["shop_order.status_changed"]
    if event.to_status in (ShopOrder.Status.REFUSED, ShopOrder.Status.CANCELLED):
        events.append("shop_order.cancelled")
    shop_order_webhooks_add(
        shop_order=event.shop_order,
        events=events,
        extra={"from_status": event.from_status, "reason": event.reason},
    )


def shop_order_webhooks_add(
    *, shop_order: ShopOrder, events: list[str], extra: dict | None = None
) -> int:
    """The shop's webhook deliveries about `shop_order` (what its API shows of it, no personal
    data: the receiver asks /api/v1/shop-orders/<number>/ for the rest)."""
    from shops.services.webhooks import webhook_events_add

    data = {
        "number": shop_order.number,
        "status": shop_order.status,
        "fulfilment": shop_order.fulfilment,
        # As the API writes them, whatever the instance holds: "39.00", the town's local time.
        "lines_total": f"{Decimal(shop_order.lines_total):.2f}",
        "shipping_total": f"{Decimal(shop_order.shipping_total):.2f}",
        "total": f"{Decimal(shop_order.total):.2f}",
        "slot_start": _local(shop_order.slot_start),
        "slot_end": _local(shop_order.slot_end),
        **(extra or {}),
    }
    key = f"shop_order:{shop_order.number}"
    return webhook_events_add(shop=shop_order.shop, events=[(name, key, data) for name in events])


def _local(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


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
    kind_register(SHOP_NEW_ORDER_PUSH, push=_shop_new_order_push)


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


def _shop_new_order_push(message) -> dict | None:
    """What the phone shows: the number, how many articles, the total, how and when it is
    handed over, and a link to the order in the merchant's space; nothing about the customer.
    Moot once the shop has handled the order (or it was cancelled) before the push left."""
    shop_order = ShopOrder.objects.select_related("shop").filter(pk=message.object_id).first()
    if shop_order is None or shop_order.status != ShopOrder.Status.NEW:
        return None
    lines = Line.objects.filter(order_id=shop_order.order_id, partner_id=shop_order.shop_id)
    count = lines.aggregate(count=Sum("quantity"))["count"] or 0
    with translation.override(settings.LANGUAGE_CODE):
        articles = ngettext("%(count)d article", "%(count)d articles", count) % {"count": count}
        return {
            "title": gettext("Nouvelle commande %(number)s") % {"number": shop_order.number},
            "body": " · ".join((articles, currency(shop_order.total), _handover(shop_order))),
            "url": f"/ma-boutique/{shop_order.shop.code}/commandes/{shop_order.number}/",
            # Not static(): a worker may run without the collected manifest; WhiteNoise serves
            # the unhashed name too.
            "icon": f"{settings.STATIC_URL}digitaix/img/app/icon-192.png",
        }


def _handover(shop_order: ShopOrder) -> str:
    """« retrait sam. 5 déc., 10:00–10:30 », « livraison … », in the town's time."""
    delivery = shop_order.fulfilment == ShopOrder.Fulfilment.DELIVERY
    mode = gettext("livraison") if delivery else gettext("retrait")
    if not shop_order.slot_start:
        return mode
    start = timezone.localtime(shop_order.slot_start)
    day = formats.date_format(start, "D j M")
    if not shop_order.slot_end:
        return f"{mode} {day}, {start:%H:%M}"
    return f"{mode} {day}, {start:%H:%M}–{timezone.localtime(shop_order.slot_end):%H:%M}"
