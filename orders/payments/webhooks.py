"""Stripe's webhooks: each event checked against its signature, recorded, and processed once.

The `StripeEvent` row is inserted first, in the same transaction as the processing: a second
delivery of the same event (even at the same moment) hits the unique event id and is answered
200 without being processed again; a processing that fails rolls the row back, so Stripe's
retry processes it afresh. Handlers read the state from Stripe, never from the event body,
so events may arrive in any order.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from orders.models import OrderPayment, StripeEvent
from orders.payments import services, stripe_client

logger = logging.getLogger(__name__)


def stripe_event_process(*, payload: bytes, signature: str) -> bool:
    """Verify and process one webhook delivery; False when the event was already processed.

    Raises `stripe_client.WebhookRejected` (nothing written) for a bad signature or body.
    """
    event = stripe_client.webhook_event_construct(payload=payload, signature=signature)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event.id, type=event.type, created=_when(event)
                )
        except IntegrityError:
            logger.info("Stripe event %s already received: skipped.", event.id)
            return False
        _dispatch(event)
        record.processed_at = timezone.now()
        record.save(update_fields=["processed_at"])
    return True


def _when(event) -> datetime.datetime | None:
    created = getattr(event, "created", None)
    return datetime.datetime.fromtimestamp(created, tz=datetime.UTC) if created else None


def _dispatch(event) -> None:
    obj = event.data.object
    try:
        if event.type in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
            services.stripe_checkout_complete(session_id=obj.id)
        elif event.type == "checkout.session.expired":
            services.stripe_checkout_expire(session_id=obj.id)
        elif event.type == "account.updated":
            if services.shop_stripe_account_refresh(account_id=obj.id) is None:
                logger.warning("Stripe event %s: account %s is no shop's.", event.id, obj.id)
        else:
            logger.debug("Stripe event %s of type %s ignored.", event.id, event.type)
    except OrderPayment.DoesNotExist:
        logger.warning("Stripe event %s: session %s is no order's.", event.id, obj.id)
