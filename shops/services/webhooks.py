"""A shop's webhooks: its own tools hear of its Digitaix orders, signed like Stripe's.

- `webhook_event_add` writes one delivery per subscribed endpoint in the caller's transaction
  (the event exists if and only if its cause committed), then hands them to Celery once it
  commits (never failing the request: the periodic sweep sends what the broker missed).
- `webhook_delivery_attempt` POSTs one delivery: JSON `{id, type, created, data}` with
  `Digitaix-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>`;
  a 2xx is delivered, anything else (or a time-out) is retried with back-off until 3 days
  after the event, then given up. A shop order's events leave in order: one waits while an
  earlier one to the same endpoint is still pending.
"""

import datetime
import hashlib
import hmac
import json
import secrets
import time

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.types import User
from messaging.handover import handover
from shops.tasks import webhook_deliver

Partner = get_model("partner", "Partner")
WebhookEndpoint = get_model("partner", "WebhookEndpoint")
WebhookDelivery = get_model("partner", "WebhookDelivery")
StockRecord = get_model("partner", "StockRecord")

GIVE_UP_AFTER = datetime.timedelta(days=3)
TIMEOUT_SECONDS = 10
MAX_ENDPOINTS_PER_SHOP = 5
SIGNATURE_HEADER = "Digitaix-Signature"


def signature(*, secret: str, body: bytes, timestamp: int) -> str:
    """The `Digitaix-Signature` header of a delivery: `t=<unix>,v1=<hex>`."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@transaction.atomic
def webhook_endpoint_create(
    *, shop: Partner, url: str, events: list[str], by: User | None
) -> WebhookEndpoint:
    """A new endpoint of `shop` (its secret is on the returned object: show it once)."""
    url = (url or "").strip()
    allowed = ("https://", "http://") if settings.DIGITAIX_WEBHOOKS_ALLOW_HTTP else ("https://",)
    if not url.startswith(allowed) or len(url) > 500:
        raise ValidationError({"url": _("Une adresse https:// de 500 caractères au plus.")})
    unknown = set(events) - set(WebhookEndpoint.Event.values)
    if not events or unknown:
        raise ValidationError({"events": _("Choisissez parmi : %(events)s.") % {
            "events": ", ".join(WebhookEndpoint.Event.values)
        }})  # fmt: skip
    Partner.objects.select_for_update().get(pk=shop.pk)
    if WebhookEndpoint.objects.filter(shop=shop, is_active=True).count() >= MAX_ENDPOINTS_PER_SHOP:
        raise ValidationError(_("%(n)s webhooks actifs au plus.") % {"n": MAX_ENDPOINTS_PER_SHOP})
    return WebhookEndpoint.objects.create(
        shop=shop, url=url, events=sorted(set(events)), secret=secrets.token_hex(32), created_by=by
    )


def webhook_event_add(*, shop: Partner, event: str, ordering_key: str, data: dict) -> int:
    """One delivery of `event` per active endpoint of `shop` that listens to it, written in
    the caller's transaction and handed over after commit. Returns how many were written."""
    return webhook_events_add(shop=shop, events=[(event, ordering_key, data)])


def webhook_events_add(*, shop: Partner, events: list[tuple[str, str, dict]]) -> int:
    """`webhook_event_add` for several `(event, ordering_key, data)` at once: the shop's
    endpoints read once, the deliveries written in one insert."""
    if not events:
        return 0
    now = timezone.now()
    endpoints = list(WebhookEndpoint.objects.filter(shop=shop, is_active=True))
    deliveries = []
    for event, ordering_key, data in events:
        for endpoint in endpoints:
            if event not in endpoint.events:
                continue
            delivery = WebhookDelivery(
                endpoint=endpoint, event=event, ordering_key=ordering_key, created_at=now,
                next_attempt_at=now, give_up_at=now + GIVE_UP_AFTER,
            )  # fmt: skip
            delivery.payload = json.loads(json.dumps({
                "id": str(delivery.event_id), "type": event, "created": int(now.timestamp()),
                "shop": shop.code, "data": data,
            }, cls=DjangoJSONEncoder))  # fmt: skip
            deliveries.append(delivery)
    WebhookDelivery.objects.bulk_create(deliveries)
    if deliveries:
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: _hand_over(ids))
    return len(deliveries)


def _hand_over(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        handover(webhook_deliver, kwargs={"delivery_id": delivery_id})


def _backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4… minutes after each failure, at most 6 hours apart."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def webhook_delivery_attempt(*, delivery_id: int) -> str:
    """Try one delivery now, if it is due and no earlier one of its order is pending;
    returns its status afterwards ("pending" when it waits or failed for now)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return delivery.status if delivery else ""
        now = timezone.now()
        if delivery.next_attempt_at > now or _earlier_pending(delivery):
            return delivery.status
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        code, error = _post(delivery.endpoint, body)
        delivery.attempts += 1
        delivery.last_status_code, delivery.last_error = code, error
        if code is not None and 200 <= code < 300:
            delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
        elif now >= delivery.give_up_at:
            delivery.status = WebhookDelivery.Status.FAILED
        else:
            delivery.next_attempt_at = now + _backoff(delivery.attempts)
        delivery.save()
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        _next_of_same_order(delivery)
    return delivery.status


def _earlier_pending(delivery: WebhookDelivery) -> bool:
    return WebhookDelivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        ordering_key=delivery.ordering_key,
        status=WebhookDelivery.Status.PENDING,
        pk__lt=delivery.pk,
    ).exists()


def _next_of_same_order(delivery: WebhookDelivery) -> None:
    """The next pending event of the same order to the same endpoint leaves at once."""
    following = (
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            ordering_key=delivery.ordering_key,
            status=WebhookDelivery.Status.PENDING,
            pk__gt=delivery.pk,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        webhook_delivery_attempt(delivery_id=following)


def _post(endpoint: WebhookEndpoint, body: bytes) -> tuple[int | None, str]:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Digitaix-Webhooks/1",
        SIGNATURE_HEADER: signature(secret=endpoint.secret, body=body, timestamp=int(time.time())),
    }
    try:
        response = requests.post(
            endpoint.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )  # fmt: skip
    except requests.RequestException as error:
        return None, repr(error)[:2000]
    return response.status_code, "" if response.ok else response.text[:500]


def webhook_deliveries_due(*, limit: int = 200) -> int:
    """Periodic: attempt the pending deliveries that are due (oldest first); returns how many
    were delivered now."""
    due = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(
        webhook_delivery_attempt(delivery_id=pk) == WebhookDelivery.Status.DELIVERED
        for pk in list(due)
    )


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (the merchant's button): pending and due now, same event id."""
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=now,
        give_up_at=max(delivery.give_up_at, now + GIVE_UP_AFTER),
    )  # fmt: skip
    transaction.on_commit(lambda: _hand_over([delivery.pk]))
    delivery.refresh_from_db()
    return delivery


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint and its deliveries (nothing more is sent to it)."""
    endpoint.delete()


def offers_out_of_stock_add(*, shop: Partner, offers: list[StockRecord]) -> int:
    """`offer.out_of_stock` to `shop`'s endpoints for each of `offers` (the caller passes the
    offers whose sellable stock has just reached 0), in the caller's transaction, whatever
    their number in 1 query and 1 insert. Returns how many deliveries were written."""
    return webhook_events_add(shop=shop, events=[
        (WebhookEndpoint.Event.OFFER_OUT_OF_STOCK, f"offer:{offer.pk}", {
            "id": offer.pk, "sku": offer.partner_sku, "ean": offer.product.upc,
            "title": offer.product.title, "num_in_stock": offer.num_in_stock or 0,
            "num_allocated": offer.num_allocated or 0,
        })
        for offer in offers
    ])  # fmt: skip
