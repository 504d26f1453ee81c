"""Celery tasks of orders: thin, taking ids, safe to run twice (each calls one service).

No result is kept (`ignore_result`): nothing reads one, and a result backend that cannot be
reached must not slow down the request that hands a task over.
"""

import stripe
from celery import shared_task

# Temporary failures worth retrying: the network, Stripe's rate limit or a 5xx of Stripe.
_TEMPORARY = (ConnectionError, OSError, stripe.APIConnectionError, stripe.RateLimitError)


@shared_task(
    ignore_result=True,
    autoretry_for=_TEMPORARY + (stripe.APIError,),
    retry_backoff=True,
    max_retries=8,
)
def settle_shop_order(shop_order_id: int) -> None:
    """Transfer a card-paid shop order's share to its shop, or refund it to the resident."""
    from orders.payments.services import shop_order_settle

    shop_order_settle(shop_order_id=shop_order_id)


@shared_task(ignore_result=True, autoretry_for=_TEMPORARY, retry_backoff=True, max_retries=5)
def retry_pending_payouts() -> int:
    """Periodic: pay the payouts left pending until their shop connected its Stripe account,
    and settle the finished shop orders whose settlement was never handed over."""
    from orders.payments.services import shop_orders_settle_missing, shop_payouts_retry

    return shop_payouts_retry() + shop_orders_settle_missing()


@shared_task(ignore_result=True, autoretry_for=_TEMPORARY, retry_backoff=True, max_retries=5)
def expire_stale_checkouts() -> int:
    """Periodic: give up the Stripe sessions left unpaid for an hour (stock released)."""
    from orders.payments.services import stripe_sessions_expire

    return stripe_sessions_expire(older_than_minutes=60)
