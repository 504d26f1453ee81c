"""Oscar's checkout pages (Oscar's own views already carry `orders.checkout.session`'s
mixin, through `get_class`), in the marketplace's order of steps:

1. (guest e-mail or sign-in, Oscar's gateway) → 2. `shipping-method`: for each shop of the
basket, click & collect or delivery, and a slot → 3. `shipping-address`, only when a shop
delivers (the postcode must be in a delivery zone) → 4. `payment-method` → 5. `preview`, then
the order is placed, split by shop, its slots booked in the same transaction.

What the browser posts is never trusted: shops come from the basket, slots from what is open
now, fees from the zones; the preview posts the total the resident saw, and a different total
(the basket or a fee changed meanwhile) stops the order with a message.
"""

from decimal import Decimal, InvalidOperation

import stripe
from django import http
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.apps.checkout import exceptions
from oscar.apps.checkout import views as core
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from orders.checkout.forms import PHONE_NEEDED, FulfilmentForm, PaymentMethodForm
from orders.checkout.plan import SlotsOffered, basket_parts, plan_build
from orders.checkout.session import CheckoutSessionMixin
from orders.payments.services import stripe_checkout_start, stripe_enabled
from orders.selectors import order_with_shop_orders

UserAddress = get_model("address", "UserAddress")

BASKET_CHECKS = ["check_basket_is_not_empty", "check_basket_is_valid"]


class IndexView(core.IndexView):
    success_url = reverse_lazy("checkout:shipping-method")


class ShippingMethodView(CheckoutSessionMixin, generic.FormView):
    """For each shop of the basket: click & collect or delivery, and a slot."""

    template_name = "oscar/checkout/shipping_methods.html"
    form_class = FulfilmentForm
    pre_conditions = [*BASKET_CHECKS, "check_user_email_is_captured"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        parts = basket_parts(self.request.basket)
        kwargs.update(parts=parts, offered=SlotsOffered.for_parts(parts))
        return kwargs

    def get_initial(self):
        initial = {}
        for shop_id, choice in self.fulfilment_choices().items():
            mode = choice.get("fulfilment", "")
            initial[f"shop-{shop_id}-fulfilment"] = mode
            slot_field = "delivery_slot" if mode == "delivery" else "pickup_slot"
            initial[f"shop-{shop_id}-{slot_field}"] = choice.get("slot", "")
        return initial

    def form_valid(self, form):
        self.fulfilment_choices_set(form.choices())
        step = "checkout:shipping-address" if self.delivery_chosen() else "checkout:payment-method"
        return redirect(step)


class ShippingAddressView(core.ShippingAddressView):
    """Oscar's address step, asked only when a shop delivers; the postcode must be in a
    delivery zone (and each delivering shop's part reach the zone's minimum order)."""

    success_url = reverse_lazy("checkout:payment-method")
    pre_conditions = [*core.ShippingAddressView.pre_conditions, "check_fulfilment_is_captured"]
    skip_conditions = ["skip_unless_delivery_chosen"]

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated and "address_id" in request.POST:
            if request.POST.get("action") != "ship_to":
                return http.HttpResponseBadRequest()
            address = get_object_or_404(
                UserAddress, pk=request.POST["address_id"], user=request.user
            )
            if error := self._delivery_error(address.postcode) or self._phone_error(address):
                messages.error(request, error)
                return redirect("checkout:shipping-address")
            self.checkout_session.ship_to_user_address(address)
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Every error at once (the phone is already required by the form).
        if error := self._delivery_error(form.cleaned_data.get("postcode", "")):
            form.add_error("postcode", error)
        if error := self._phone_error(form.cleaned_data):
            form.add_error("phone_number", error)
        if form.errors:
            return self.form_invalid(form)
        return super().form_valid(form)

    def form_invalid(self, form):
        # A field refused (the phone, say) must not hide that the postcode is not delivered.
        postcode = form.cleaned_data.get("postcode") if hasattr(form, "cleaned_data") else None
        if postcode and "postcode" not in form.errors:
            if error := self._delivery_error(postcode):
                form.add_error("postcode", error)
        return super().form_invalid(form)

    @staticmethod
    def _phone_error(address) -> str:
        """The courier calls the resident: a delivery address needs a phone number."""
        phone = address.get("phone_number") if isinstance(address, dict) else address.phone_number
        return "" if phone else str(PHONE_NEEDED)

    def _delivery_error(self, postcode: str) -> str:
        """The first reason why the delivering shops cannot deliver to `postcode`, or ""."""

        parts = basket_parts(self.request.basket)
        try:
            plan_build(
                parts=parts,
                choices=self.fulfilment_choices(),
                postcode=postcode,
                offered=SlotsOffered.for_parts(parts),
            )
        except ValidationError as error:
            return error.messages[0]
        return ""


class PaymentMethodView(CheckoutSessionMixin, generic.FormView):
    """Pay on site (the embedded default), or online with Stripe when it is configured."""

    template_name = "oscar/checkout/payment_method.html"
    form_class = PaymentMethodForm
    pre_conditions = [
        *BASKET_CHECKS,
        "check_user_email_is_captured",
        "check_shipping_data_is_captured",
    ]
    success_url = reverse_lazy("checkout:preview")

    def get(self, request, *args, **kwargs):
        if not online_payment_enabled():
            self.checkout_session.pay_by(PaymentMethodForm.ON_SITE)
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not online_payment_enabled():
            self.checkout_session.pay_by(PaymentMethodForm.ON_SITE)
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"method": self.checkout_session.payment_method() or PaymentMethodForm.ON_SITE}

    def form_valid(self, form):
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return super().form_valid(form)


def online_payment_enabled() -> bool:
    return stripe_enabled()


class PaymentDetailsView(core.PaymentDetailsView):
    """Oscar's preview and order placement, with each shop's part shown and recorded."""

    pre_conditions = [*core.PaymentDetailsView.pre_conditions, "check_fulfilment_plan_is_valid"]

    def get_pre_conditions(self, request):
        if self.preview:
            return [*self.pre_conditions, "check_payment_method_is_chosen"]
        return super().get_pre_conditions(request)

    def check_payment_method_is_chosen(self, request):
        if not self.checkout_session.payment_method():
            raise exceptions.FailedPreCondition(url=reverse("checkout:payment-method"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = self.fulfilment_plan()
        ctx.update(
            shop_parts=plan.parts,
            pays_online=self.pays_online(),
        )
        return ctx

    def pays_online(self) -> bool:
        return (
            online_payment_enabled()
            and self.checkout_session.payment_method() == PaymentMethodForm.STRIPE
        )

    def build_submission(self, **kwargs):
        submission = super().build_submission(**kwargs)
        order_kwargs = submission["order_kwargs"]
        order_kwargs["shop_fulfilments"] = self.fulfilment_plan().shop_fulfilments()
        order_kwargs["pays_online"] = self.pays_online()
        return submission

    def handle_place_order_submission(self, request):
        submission = self.build_submission()
        total = submission["order_total"]
        if total is None or not _same_total(request.POST.get("total"), total.incl_tax):
            messages.error(
                request,
                _("Le total de votre commande a changé : vérifiez-le avant de confirmer."),
            )
            return redirect("checkout:preview")
        return self.submit(**submission)

    def handle_order_placement(self, *args, **kwargs):
        # Oscar saves the addresses before the order: one transaction for all, so a refused
        # placement (stock, slot) leaves nothing behind.
        with transaction.atomic():
            return super().handle_order_placement(*args, **kwargs)

    def handle_successful_order(self, order):
        """Paid online: the order is placed (stock and slots held), then the resident goes to
        Stripe's page. The session is opened in the placement's transaction, so Stripe being
        unreachable places nothing; the shops see the order once it is paid."""
        if not self.pays_online():
            return super().handle_successful_order(order)
        try:
            url = stripe_checkout_start(
                order=order,
                success_url=self.request.build_absolute_uri(reverse("stripe:checkout-return"))
                + "?session_id={CHECKOUT_SESSION_ID}",
                cancel_url=self.request.build_absolute_uri(reverse("checkout:preview")),
            )
        except stripe.StripeError as error:
            raise UnableToPlaceOrder(
                _(
                    "Le paiement en ligne est indisponible pour le moment : réessayez, ou "
                    "choisissez le paiement sur place."
                )
            ) from error
        self.checkout_session.flush()
        self.request.session["checkout_order_id"] = order.pk
        return redirect(url)

    def send_order_placed_email(self, order):
        """Not Oscar's e-mail: ours (`orders.outbox`) is written with the order and tells the
        resident each shop's part; Oscar's would be a second, less useful confirmation."""


def _same_total(posted: str | None, total: Decimal) -> bool:
    try:
        return posted is not None and Decimal(posted) == total
    except (InvalidOperation, ValueError):
        return False


class ThankYouView(core.ThankYouView):
    """Oscar's thank-you page, with each shop order and its own lines (3 queries)."""

    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["order"] = order_with_shop_orders(order=ctx["order"])
        return ctx
