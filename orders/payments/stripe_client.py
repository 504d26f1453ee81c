"""Thin, typed calls to Stripe: Checkout, Connect (Express) accounts, transfers, refunds, webhooks.

Everything Stripe-specific stays here so the order services speak in ``Decimal`` euros and our own
ids. One customer payment on the platform account (Checkout), then "separate charges and
transfers": each shop's share minus the commission is transferred to its connected account, tied
to the charge with ``source_transaction`` and to the order with ``transfer_group``.
Idempotency keys make retries (Celery, webhooks delivered twice) safe.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings

from orders.payments.money import from_cents, to_cents

CURRENCY = "eur"
WEBHOOK_TOLERANCE_SECONDS = 300


class StripeNotConfigured(Exception):
    """A Stripe key or secret is missing from the settings."""


class WebhookRejected(Exception):
    """A webhook's payload or ``Stripe-Signature`` is not what Stripe would have sent."""


@dataclass(frozen=True)
class CheckoutLine:
    """One line of the Stripe Checkout page: a label, a unit price in euros and a quantity."""

    name: str
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True)
class CheckoutSessionState:
    session_id: str
    reference: str | None
    paid: bool
    payment_intent_id: str | None
    charge_id: str | None
    amount_total: Decimal
    status: str = "open"  # Stripe's session status: open, complete or expired

    @property
    def expired(self) -> bool:
        return self.status == "expired" and not self.paid


@dataclass(frozen=True)
class AccountStatus:
    account_id: str
    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool
    transfers_active: bool

    @property
    def ready(self) -> bool:
        """The shop can be paid: onboarding done and transfers to it accepted."""
        return self.details_submitted and self.payouts_enabled and self.transfers_active


def _api_key() -> str:
    key = getattr(settings, "STRIPE_SECRET_KEY", "") or stripe.api_key
    if not key:
        raise StripeNotConfigured("STRIPE_SECRET_KEY is not set.")
    return key


def _positive_cents(amount: Decimal) -> int:
    cents = to_cents(amount)
    if cents <= 0:
        raise ValueError(f"Amount must be positive: {amount}")
    return cents


def checkout_session_create(
    *,
    reference: str,
    lines: list[CheckoutLine],
    success_url: str,
    cancel_url: str,
    customer_email: str | None = None,
    metadata: dict[str, str] | None = None,
    idempotency_key: str | None = None,
) -> tuple[str, str]:
    """Open a Checkout page for the whole basket; returns ``(session_id, url)``.

    ``reference`` (our order number) becomes the ``client_reference_id`` and the PaymentIntent's
    ``transfer_group``, so every transfer to a shop can be traced back to the order.
    """
    if not lines:
        raise ValueError("A checkout needs at least one line.")
    metadata = {"reference": reference, **(metadata or {})}
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": _positive_cents(line.unit_price),
                    "product_data": {"name": line.name},
                },
                "quantity": line.quantity,
            }
            for line in lines
        ],
        "client_reference_id": reference,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": metadata,
        "payment_intent_data": {"transfer_group": reference, "metadata": metadata},
    }
    if customer_email:
        params["customer_email"] = customer_email
    session = stripe.checkout.Session.create(
        api_key=_api_key(), idempotency_key=idempotency_key, **params
    )
    return session.id, session.url


def checkout_session_retrieve(*, session_id: str) -> CheckoutSessionState:
    """The session's payment state, with its PaymentIntent and charge ids once paid."""
    session = stripe.checkout.Session.retrieve(
        session_id, api_key=_api_key(), expand=["payment_intent"]
    )
    intent = session.payment_intent
    return CheckoutSessionState(
        session_id=session.id,
        reference=session.client_reference_id,
        paid=session.payment_status == "paid",
        payment_intent_id=intent.id if intent else None,
        charge_id=intent.latest_charge if intent else None,
        amount_total=from_cents(session.amount_total),
        status=session.status or "open",
    )


def checkout_session_expire(*, session_id: str) -> CheckoutSessionState:
    """Close an open session so it can no longer be paid; a paid or already expired session
    is left as it is (Stripe refuses to expire it) and its state returned."""
    try:
        stripe.checkout.Session.expire(session_id, api_key=_api_key())
    except stripe.InvalidRequestError:
        pass  # not open any more: paid meanwhile, or expired already
    return checkout_session_retrieve(session_id=session_id)


def connected_account_create(*, email: str, shop_name: str, country: str = "FR") -> str:
    """Create a shop's Express connected account (it can receive transfers once onboarded)."""
    account = stripe.Account.create(
        api_key=_api_key(),
        type="express",
        country=country,
        email=email,
        business_profile={"name": shop_name},
        capabilities={"transfers": {"requested": True}},
    )
    return account.id


def account_link_create(*, account_id: str, refresh_url: str, return_url: str) -> str:
    """A single-use link to Stripe's onboarding for the shop's merchant."""
    link = stripe.AccountLink.create(
        api_key=_api_key(),
        account=account_id,
        refresh_url=refresh_url,
        return_url=return_url,
        type="account_onboarding",
    )
    return link.url


def account_status(*, account_id: str) -> AccountStatus:
    account = stripe.Account.retrieve(account_id, api_key=_api_key())
    capabilities = getattr(account, "capabilities", None)
    return AccountStatus(
        account_id=account.id,
        charges_enabled=bool(account.charges_enabled),
        payouts_enabled=bool(account.payouts_enabled),
        details_submitted=bool(account.details_submitted),
        transfers_active=getattr(capabilities, "transfers", None) == "active",
    )


def transfer_create(
    *,
    amount: Decimal,
    account_id: str,
    transfer_group: str,
    source_charge: str,
    idempotency_key: str,
) -> str:
    """Pay a shop its share of a charge; the same ``idempotency_key`` never pays twice."""
    transfer = stripe.Transfer.create(
        api_key=_api_key(),
        idempotency_key=idempotency_key,
        amount=_positive_cents(amount),
        currency=CURRENCY,
        destination=account_id,
        transfer_group=transfer_group,
        source_transaction=source_charge,
    )
    return transfer.id


def refund_create(*, payment_intent: str, amount: Decimal, idempotency_key: str) -> str:
    """Give back part of a payment (a refusing shop's share); Stripe refuses more than charged."""
    refund = stripe.Refund.create(
        api_key=_api_key(),
        idempotency_key=idempotency_key,
        payment_intent=payment_intent,
        amount=_positive_cents(amount),
    )
    return refund.id


def webhook_event_construct(*, payload: bytes, signature: str) -> stripe.Event:
    """Check a webhook's ``Stripe-Signature`` against ``STRIPE_WEBHOOK_SECRET`` and parse it.

    Raises ``WebhookRejected`` for a bad signature, a stale timestamp (replay) or bad JSON.
    """
    secret = getattr(settings, "STRIPE_WEBHOOK_SECRET", "")
    if not secret:
        raise StripeNotConfigured("STRIPE_WEBHOOK_SECRET is not set.")
    try:
        return stripe.Webhook.construct_event(
            payload, signature, secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as error:
        raise WebhookRejected(f"Invalid Stripe signature: {error.user_message or error}") from error
    except ValueError as error:
        raise WebhookRejected(f"Invalid webhook payload: {error}") from error
