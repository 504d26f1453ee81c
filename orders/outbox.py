"""Order e-mails through a transactional outbox (`OutboxMessage`), sent by Celery.

`*_add` functions run inside the caller's transaction: the message rows commit with the order
or the status change, or not at all. Once the transaction commits, each new message is handed
to Celery (`send_outbox_message`); if the broker cannot be reached, the hand-over fails fast
(no publish retry, a short connection timeout) and is only logged: the resident's request
succeeds, and the periodic relay (`relay_outbox`, every minute) hands over what is still
unsent once Redis is back. Sending is idempotent: the row is locked and `sent_at` checked.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from orders.models import OutboxMessage, ShopOrder, ShopOrderEvent
from orders.selectors import order_with_shop_orders
from shops.emails import absolute_url, email_build

Kind = OutboxMessage.Kind
Order = get_model("order", "Order")
Line = get_model("order", "Line")
logger = logging.getLogger(__name__)

# A message handed over to Celery but still unsent after this long is handed over again.
REENQUEUE_AFTER = datetime.timedelta(minutes=5)


def outbox_add(*, kind: str, key: str, object_id: int, recipients: list[str]) -> None:
    """Write one message in the caller's transaction (once per `key`), to be sent after it
    commits. A message without any recipient is not written."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind, key=key, object_id=object_id, recipients=recipients
            )
    except IntegrityError:
        return  # already written by an earlier call: once per key
    transaction.on_commit(partial(outbox_enqueue, message_ids=[message.pk]))


def order_notifications_add(*, order, shop_orders: list[ShopOrder]) -> None:
    """The resident's confirmation, and each shop's alert about its own part."""
    outbox_add(
        kind=Kind.ORDER_CONFIRMATION,
        key=f"order-confirmation:{order.pk}",
        object_id=order.pk,
        recipients=[order.email],
    )
    for shop_order in shop_orders:
        outbox_add(
            kind=Kind.SHOP_NEW_ORDER,
            key=f"shop-new-order:{shop_order.pk}",
            object_id=shop_order.pk,
            recipients=shop_recipients(shop_order.shop),
        )


def shop_order_status_notification_add(*, event: ShopOrderEvent) -> None:
    """Tell the resident that one shop moved their part of the order."""
    order = Order.objects.select_related("user").get(pk=event.shop_order.order_id)
    outbox_add(
        kind=Kind.STATUS_CHANGED,
        key=f"status:{event.pk}",
        object_id=event.pk,
        recipients=[order.email],
    )


def shop_recipients(shop) -> list[str]:
    """The shop's own address, else the addresses of the people who work for it."""
    if shop.email:
        return [shop.email]
    return list(shop.users.filter(is_active=True).values_list("email", flat=True))


# Hand-over to Celery --------------------------------------------------------------------


def outbox_enqueue(*, message_ids: list[int]) -> int:
    """Hand the messages to Celery; stops at the first broker error (logged, not raised).
    Returns how many were handed over."""
    from orders.tasks import send_outbox_message

    handed = 0
    for message_id in message_ids:
        try:
            send_outbox_message.apply_async(args=[message_id], retry=False)
        except Exception as error:  # noqa: BLE001 - any broker failure: the relay retries
            logger.warning("Outbox: broker unreachable (%s); the relay will retry", error)
            break
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
            enqueued_at=timezone.now()
        )
        handed += 1
    return handed


def outbox_relay(*, limit: int = 500) -> int:
    """Hand over every message still unsent: never handed over, or handed over long ago."""
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True)
        .exclude(enqueued_at__gt=now - REENQUEUE_AFTER)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return outbox_enqueue(message_ids=ids)


# Sending ------------------------------------------------------------------------------------


def outbox_message_send(*, message_id: int) -> bool:
    """Send one message unless it was already sent; returns whether it sent it now.

    The row stays locked while the e-mail goes out, so a second worker handed the same
    message waits, then finds it sent. A failure leaves it unsent (the task retries).
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.sent_at is not None:
            return False
        email = email_build(
            _TEMPLATES[message.kind], _context(message), to=list(message.recipients)
        )
        email.send()
        message.sent_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["sent_at", "attempts"])
    return True


def outbox_failure_record(*, message_id: int, error: Exception) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(last_error=repr(error)[:2000])


_TEMPLATES = {
    Kind.ORDER_CONFIRMATION: "order_confirmation",
    Kind.SHOP_NEW_ORDER: "shop_new_order",
    Kind.STATUS_CHANGED: "shop_order_status_changed",
}


def _context(message: OutboxMessage) -> dict:
    return {"site_name": settings.OSCAR_SHOP_NAME, **_kind_context(message)}


def _kind_context(message: OutboxMessage) -> dict:
    if message.kind == Kind.ORDER_CONFIRMATION:
        order = order_with_shop_orders(order=Order(pk=message.object_id))
        return {
            "order": order,
            "shop_orders": order.shop_orders.all(),
            "order_url": absolute_url(
                reverse("customer:order", kwargs={"order_number": order.number})
            ),
        }
    if message.kind == Kind.SHOP_NEW_ORDER:
        shop_order = ShopOrder.objects.select_related(
            "shop", "order__shipping_address", "order__user"
        ).get(pk=message.object_id)
        lines = Line.objects.filter(order_id=shop_order.order_id, partner_id=shop_order.shop_id)
        return {
            "shop_order": shop_order,
            "order": shop_order.order,
            "lines": lines.order_by("pk"),
            "dashboard_url": absolute_url(
                reverse("shop-orders:detail", kwargs={"number": shop_order.number})
            ),
        }
    event = ShopOrderEvent.objects.select_related("shop_order__shop", "shop_order__order").get(
        pk=message.object_id
    )
    order = event.shop_order.order
    return {
        "event": event,
        "shop_order": event.shop_order,
        "order_url": absolute_url(reverse("customer:order", kwargs={"order_number": order.number})),
    }
