"""Helpers for the card payment tests: orders placed through Oscar, paid on the fake Stripe."""

from oscar.core.loading import get_class, get_model

from orders.models import OrderPayment
from orders.payments import services
from tests.fakes.stripe_server import API_KEY

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

WEBHOOK_SECRET = "whsec_test_digitaix_payments"
SUCCESS_URL = (
    "https://digitaix.localhost/commande/paiement/retour/?session_id={CHECKOUT_SESSION_ID}"
)
CANCEL_URL = "https://digitaix.localhost/panier/"


def stripe_settings(settings, *, rate: str = "0.05") -> None:
    """Stripe configured as in production, against the fake (its key, a real webhook secret)."""
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.DIGITAIX_COMMISSION_RATE = rate


def order_place(*items, user=None, fulfilments=None):
    """An order placed through Oscar's OrderCreator from `(product, quantity)` items."""
    from oscar.test.factories import create_order as oscar_create_order

    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return oscar_create_order(basket=basket, user=user, shop_fulfilments=fulfilments)


def card_order(*items, user=None) -> tuple:
    """An order placed, then sent to Stripe Checkout: `(order, payment)` (payment pending)."""
    order = order_place(*items, user=user)
    services.stripe_checkout_start(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)
    return order, OrderPayment.objects.get(order=order)
