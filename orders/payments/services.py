"""Card payment of an order through Stripe: Checkout for the whole basket, one transfer per shop
once its part is handed over, a refund of a shop's part that is refused or cancelled.

The order is placed (stock reserved, shop orders created, unpaid) before the resident goes to
Stripe. `stripe_checkout_complete` is called both by the browser coming back and by the webhook:
it locks the `OrderPayment` row and asks Stripe itself, so whichever comes first pays the order
and the other finds it paid. Every Stripe write carries an idempotency key derived from our ids.
"""

import datetime
import logging
from decimal import Decimal
from functools import partial

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from messaging.handover import handover
from orders import workflow
from orders.models import OrderPayment, ShopOrder, ShopPayout, ShopRefund
from orders.outbox import order_notifications_add
from orders.payments import stripe_client
from orders.payments.money import commission_rate, commission_split, to_cents
from orders.payments.stripe_client import CheckoutLine, CheckoutSessionState
from orders.tasks import settle_shop_order

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")

logger = logging.getLogger(__name__)

PAYMENT_ABANDONED_REASON = _("Paiement non abouti")
# Shop order statuses after which money moves: a transfer to the shop, or a refund.
SETTLE_STATUSES = workflow.DONE | workflow.ABANDONED


def stripe_enabled() -> bool:
    """Card payment is offered only when the town has set its Stripe keys."""
    return bool(settings.STRIPE_SECRET_KEY)


# --- Checkout -----------------------------------------------------------------------------


def stripe_checkout_start(*, order: Order, success_url: str, cancel_url: str) -> str:
    """Open the Stripe Checkout page for `order` and return its URL for the redirect.

    One line per shop order (plus one for what the order charges beyond its shop orders, if
    anything), in cents that add up to `order.total_incl_tax` exactly. Calling it again for the
    same pending order gives the same page; a paid order cannot be paid twice.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        existing = OrderPayment.objects.filter(order=order).first()
        if existing is not None:
            if existing.status == OrderPayment.Status.PENDING and existing.checkout_url:
                return existing.checkout_url
            raise ValidationError(
                _("Le paiement de cette commande a déjà été traité."), code="payment_exists"
            )
        lines = _checkout_lines(order)
        session_id, url = stripe_client.checkout_session_create(
            reference=order.number,
            lines=lines,
            success_url=success_url,
            cancel_url=cancel_url,
            customer_email=order.email or None,
            metadata={"order_number": order.number},
            idempotency_key=f"checkout-{order.number}",
        )
        OrderPayment.objects.create(
            order=order,
            session_id=session_id,
            checkout_url=url,
            amount_cents=to_cents(order.total_incl_tax),
        )
    return url


def _checkout_lines(order) -> list[CheckoutLine]:
    shop_orders = list(order.shop_orders.select_related("shop").order_by("number"))
    lines = [
        CheckoutLine(
            name=str(_("%(shop)s — commande %(number)s"))
            % {"shop": so.shop.name, "number": so.number},
            unit_price=so.total,
            quantity=1,
        )
        for so in shop_orders
        if so.total > 0
    ]
    rest = order.total_incl_tax - sum((so.total for so in shop_orders), Decimal("0.00"))
    if rest < 0:
        raise ValueError(f"Order {order.number}: its shop orders exceed its total.")
    if rest > 0:
        lines.append(CheckoutLine(name=str(_("Frais de commande")), unit_price=rest, quantity=1))
    if not lines:
        raise ValidationError(_("Cette commande n'a rien à payer."), code="nothing_to_pay")
    return lines


def stripe_checkout_complete(*, session_id: str) -> OrderPayment:
    """Record the payment of a session if Stripe says it is paid; idempotent.

    Raises `OrderPayment.DoesNotExist` for a session that is not ours. Never trusts the caller:
    the session is read from Stripe. Paid for another amount than expected: `failed`, logged.
    """
    with transaction.atomic():
        payment = OrderPayment.objects.select_for_update().get(session_id=session_id)
        if payment.status == OrderPayment.Status.PAID:
            return payment
        state = stripe_client.checkout_session_retrieve(session_id=session_id)
        if not state.paid:
            return payment
        if to_cents(state.amount_total) != payment.amount_cents:
            logger.error(
                "Stripe session %s paid %s, expected %s cents: not recorded as paid.",
                session_id,
                state.amount_total,
                payment.amount_cents,
            )
            payment.status = OrderPayment.Status.FAILED
            payment.save(update_fields=["status"])
            return payment
        _payment_record(payment, state)
    return payment


def _payment_record(payment: OrderPayment, state: CheckoutSessionState) -> None:
    """Mark the payment and every live shop order paid; a shop order already refused or
    cancelled meanwhile is settled (refunded) once this commits."""
    from orders.services import shop_order_mark_paid

    payment.status = OrderPayment.Status.PAID
    payment.payment_intent_id = state.payment_intent_id or ""
    payment.charge_id = state.charge_id or ""
    payment.paid_at = timezone.now()
    payment.save(update_fields=["status", "payment_intent_id", "charge_id", "paid_at"])
    shop_orders = list(
        ShopOrder.objects.filter(order_id=payment.order_id).select_related("shop").order_by("pk")
    )
    for shop_order in shop_orders:
        if shop_order.status in workflow.ABANDONED:
            shop_order_settle_enqueue(shop_order_id=shop_order.pk)
            continue
        shop_order_mark_paid(shop_order=shop_order)
        if shop_order.status in SETTLE_STATUSES:
            shop_order_settle_enqueue(shop_order_id=shop_order.pk)
    # A card-paid order is confirmed, and its shops alerted, once paid (not when placed).
    order_notifications_add(
        order=Order.objects.get(pk=payment.order_id),
        shop_orders=[so for so in shop_orders if so.status not in workflow.ABANDONED],
    )


def stripe_checkout_expire(*, session_id: str, close: bool = False) -> OrderPayment:
    """Give up an unpaid session: its order's shop orders are cancelled ("Paiement non
    abouti"), which gives their stock back. Idempotent.

    Asks Stripe first: a session paid meanwhile is recorded as paid instead (an `expired`
    event arriving after `completed` changes nothing). `close=True` expires it at Stripe
    first (the periodic clean-up of sessions left open).
    """
    with transaction.atomic():
        payment = OrderPayment.objects.select_for_update().get(session_id=session_id)
        if payment.status != OrderPayment.Status.PENDING:
            return payment
        if close:
            state = stripe_client.checkout_session_expire(session_id=session_id)
        else:
            state = stripe_client.checkout_session_retrieve(session_id=session_id)
        if state.paid:
            return stripe_checkout_complete(session_id=session_id)
        if not state.expired:
            return payment
        payment.status = OrderPayment.Status.EXPIRED
        payment.save(update_fields=["status"])
        _shop_orders_cancel(payment.order_id)
    return payment


def _shop_orders_cancel(order_id: int) -> None:
    from orders.services import shop_order_transition

    for shop_order in ShopOrder.objects.filter(order_id=order_id).order_by("pk"):
        if workflow.is_allowed(
            fulfilment=shop_order.fulfilment,
            from_status=shop_order.status,
            to_status=ShopOrder.Status.CANCELLED,
        ):
            shop_order_transition(
                shop_order=shop_order,
                to_status=ShopOrder.Status.CANCELLED,
                reason=str(PAYMENT_ABANDONED_REASON),
            )


def stripe_sessions_expire(*, older_than_minutes: int = 60) -> int:
    """Close the sessions still pending after `older_than_minutes` (the periodic clean-up,
    in case Stripe's `checkout.session.expired` never reaches us); returns how many."""
    limit = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    session_ids = OrderPayment.objects.filter(
        status=OrderPayment.Status.PENDING, created_at__lt=limit
    ).values_list("session_id", flat=True)
    done = 0
    for session_id in list(session_ids):
        payment = stripe_checkout_expire(session_id=session_id, close=True)
        done += payment.status != OrderPayment.Status.PENDING
    return done


# --- Settlement: transfer to the shop, or refund to the resident -----------------------------


def shop_order_settle_enqueue(*, shop_order_id: int) -> None:
    """Settle a shop order once the current transaction commits (Celery task).

    The hand-over never fails the merchant's request: with the broker down it is only
    logged, and the periodic `shop_orders_settle_missing` settles the shop order later.
    """
    transaction.on_commit(partial(_settle_hand_over, shop_order_id))


def _settle_hand_over(shop_order_id: int) -> None:
    handover(settle_shop_order, args=[shop_order_id])  # never raises: logged when down


def shop_orders_settle_missing() -> int:
    """Settle the finished card-paid shop orders that have neither payout nor refund yet (their
    hand-over to Celery failed); returns how many were settled now."""
    finished = ShopOrder.objects.filter(order__payment__status=OrderPayment.Status.PAID).filter(
        Q(status__in=workflow.DONE, payout__isnull=True)
        | Q(status__in=workflow.ABANDONED, refund__isnull=True)
    )
    ids = list(finished.values_list("pk", flat=True))
    for shop_order_id in ids:
        shop_order_settle(shop_order_id=shop_order_id)
    return len(ids)


def shop_order_settle(*, shop_order_id: int) -> ShopPayout | ShopRefund | None:
    """Move the money of a card-paid shop order once its fate is known; safe to run twice.

    Collected or delivered: its total minus the town's commission is transferred to the shop's
    connected account (`ShopPayout`, idempotency key `payout-<id>`). A shop without a ready
    account keeps its payout `pending`: it is paid when the shop connects (`account.updated`)
    or by the periodic retry. Refused or cancelled: its total is refunded to the resident
    (`ShopRefund`, key `refund-<id>`). Paid at pickup, or not yet finished: nothing.
    """
    with transaction.atomic():
        shop_order = (
            ShopOrder.objects.select_for_update().select_related("shop").get(pk=shop_order_id)
        )
        payment = OrderPayment.objects.filter(
            order_id=shop_order.order_id, status=OrderPayment.Status.PAID
        ).first()
        if payment is None:
            return None
        if shop_order.status in workflow.DONE:
            return _payout(shop_order, payment)
        if shop_order.status in workflow.ABANDONED:
            return _refund(shop_order, payment)
    return None


def _payout(shop_order: ShopOrder, payment: OrderPayment) -> ShopPayout:
    split = commission_split(shop_totals={0: shop_order.total}, rate=commission_rate())[0]
    payout, _created = ShopPayout.objects.get_or_create(
        shop_order=shop_order,
        defaults={"amount": split.transfer, "commission": split.commission},
    )
    if payout.status == ShopPayout.Status.TRANSFERRED:
        return payout
    shop = Partner.objects.select_for_update().get(pk=shop_order.shop_id)
    if payout.amount > 0:
        if not (shop.stripe_account_id and shop.stripe_account_ready):
            return payout
        try:
            payout.transfer_id = stripe_client.transfer_create(
                amount=payout.amount,
                account_id=shop.stripe_account_id,
                transfer_group=payment.order.number,
                source_charge=payment.charge_id,
                idempotency_key=f"payout-{shop_order.pk}",
            )
        except stripe.InvalidRequestError as error:
            logger.warning("Payout of shop order %s refused: %s", shop_order.number, error)
            payout.last_error = str(error.user_message or error)
            payout.save(update_fields=["last_error"])
            return payout
    payout.status = ShopPayout.Status.TRANSFERRED
    payout.transferred_at = timezone.now()
    payout.last_error = ""
    payout.save(update_fields=["transfer_id", "status", "transferred_at", "last_error"])
    return payout


def _refund(shop_order: ShopOrder, payment: OrderPayment) -> ShopRefund:
    refund, _created = ShopRefund.objects.get_or_create(
        shop_order=shop_order, defaults={"amount": shop_order.total}
    )
    if refund.status == ShopRefund.Status.REFUNDED:
        return refund
    if refund.amount > 0:
        refund.refund_id = stripe_client.refund_create(
            payment_intent=payment.payment_intent_id,
            amount=refund.amount,
            idempotency_key=f"refund-{shop_order.pk}",
        )
    refund.status = ShopRefund.Status.REFUNDED
    refund.refunded_at = timezone.now()
    refund.save(update_fields=["refund_id", "status", "refunded_at"])
    return refund


def shop_payouts_retry(*, shop_id: int | None = None) -> int:
    """Enqueue the settlement of every pending payout (of one shop) whose shop can now be paid;
    returns how many."""
    pending = ShopPayout.objects.filter(
        status=ShopPayout.Status.PENDING, shop_order__shop__stripe_account_ready=True
    )
    if shop_id is not None:
        pending = pending.filter(shop_order__shop_id=shop_id)
    ids = list(pending.values_list("shop_order_id", flat=True))
    for shop_order_id in ids:
        shop_order_settle_enqueue(shop_order_id=shop_order_id)
    return len(ids)


# --- Stripe Connect: the shop's account ---------------------------------------------------


def shop_stripe_onboarding_start(
    *, shop: Partner, email: str, refresh_url: str, return_url: str
) -> str:
    """The link to Stripe's onboarding for `shop`, creating its Express account the first time."""
    with transaction.atomic():
        shop = Partner.objects.select_for_update().get(pk=shop.pk)
        if not shop.stripe_account_id:
            shop.stripe_account_id = stripe_client.connected_account_create(
                email=shop.email or email, shop_name=shop.name
            )
            shop.save(update_fields=["stripe_account_id"])
    return stripe_client.account_link_create(
        account_id=shop.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )


def shop_stripe_account_refresh(
    *, shop: Partner | None = None, account_id: str = ""
) -> Partner | None:
    """Read the shop's account status from Stripe (by shop, or by account id from a webhook);
    when it becomes ready, its pending payouts are paid. None for an account not ours."""
    with transaction.atomic():
        query = Partner.objects.select_for_update()
        if shop is not None:
            shop = query.get(pk=shop.pk)
        else:
            shop = query.filter(stripe_account_id=account_id).first() if account_id else None
        if shop is None or not shop.stripe_account_id:
            return shop
        status = stripe_client.account_status(account_id=shop.stripe_account_id)
        shop.stripe_account_ready = status.ready
        shop.stripe_account_checked_at = timezone.now()
        shop.save(update_fields=["stripe_account_ready", "stripe_account_checked_at"])
        if status.ready:
            shop_payouts_retry(shop_id=shop.pk)
    return shop
