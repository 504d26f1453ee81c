"""Oscar's checkout session mixin (every checkout view has it), taught the per-shop choices.

The checkout session keeps, beside Oscar's data, the resident's choice for each shop
(`fulfilment/choices`). From it come: whether an address is needed at all (only when a shop
delivers), the shipping "method" Oscar records (the sum of each shop's fee), and the plan the
order placement receives.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as CoreCheckoutSessionMixin
from oscar.apps.shipping.methods import Base
from oscar.core import prices

from orders.checkout.plan import (
    FULFILMENT_STEP_CODES,
    FulfilmentPlan,
    SlotsOffered,
    basket_parts,
    plan_build,
)

MARKETPLACE_SHIPPING = "marketplace"


class MarketplaceShipping(Base):
    """Oscar's shipping method for a basket split by shop: the sum of each shop's fee."""

    code = MARKETPLACE_SHIPPING
    name = _("Retrait ou livraison, boutique par boutique")

    def __init__(self, plan: FulfilmentPlan):
        self.plan = plan

    def calculate(self, basket):
        return prices.Price(
            currency=basket.currency, excl_tax=self.plan.shipping_total, tax=Decimal("0.00")
        )


class CheckoutSessionMixin(CoreCheckoutSessionMixin):
    # Fulfilment choices --------------------------------------------------------------

    def fulfilment_choices(self) -> dict:
        return self.checkout_session._get("fulfilment", "choices") or {}

    def fulfilment_choices_set(self, choices: dict) -> None:
        self.checkout_session._set("fulfilment", "choices", choices)
        self.checkout_session.use_shipping_method(MARKETPLACE_SHIPPING)
        self._plan_cache = None

    def delivery_chosen(self) -> bool:
        return any(c.get("fulfilment") == "delivery" for c in self.fulfilment_choices().values())

    def fulfilment_plan(self, basket=None, shipping_address=None) -> FulfilmentPlan:
        """The choices checked against what is open now (cached for the request); raises
        the `ValidationError` of the first choice that no longer holds."""
        cached = getattr(self, "_plan_cache", None)
        if cached is not None:
            return cached
        basket = basket or self.request.basket
        if shipping_address is None and self.delivery_chosen():
            shipping_address = self.get_shipping_address(basket)
        parts = basket_parts(basket)
        self._plan_cache = plan_build(
            parts=parts,
            choices=self.fulfilment_choices(),
            postcode=getattr(shipping_address, "postcode", None),
            offered=SlotsOffered.for_parts(parts),
        )
        return self._plan_cache

    # Pre-conditions and skip conditions --------------------------------------------

    def check_fulfilment_is_captured(self, request):
        if not self.fulfilment_choices():
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:shipping-method"),
                message=_("Choisissez d'abord comment recevoir vos articles."),
            )

    def check_shipping_data_is_captured(self, request):
        self.check_fulfilment_is_captured(request)
        if self.delivery_chosen():
            self.check_a_valid_shipping_address_is_captured()

    def check_fulfilment_plan_is_valid(self, request):
        try:
            self.fulfilment_plan()
        except ValidationError as error:
            step = (
                "checkout:shipping-method"
                if error.code in FULFILMENT_STEP_CODES
                else "checkout:shipping-address"
            )
            raise exceptions.FailedPreCondition(
                url=reverse(step), message=error.messages[0]
            ) from error

    def skip_unless_delivery_chosen(self, request):
        if self.fulfilment_choices() and not self.delivery_chosen():
            raise exceptions.PassedSkipCondition(url=reverse("checkout:payment-method"))

    # Oscar's hooks -----------------------------------------------------------------

    def get_shipping_address(self, basket):
        """No address for a basket collected in the shops."""
        if not self.delivery_chosen():
            return None
        return super().get_shipping_address(basket)

    def get_shipping_method(self, basket, shipping_address=None, **kwargs):
        """The one method of the marketplace, derived from the per-shop choices alone: not
        from Oscar's method code, which `ship_to_user_address()` (a saved address) flushes
        with the rest of the "shipping" data."""
        if not self.fulfilment_choices():
            return None
        try:
            return MarketplaceShipping(self.fulfilment_plan(basket, shipping_address))
        except ValidationError:
            return None
