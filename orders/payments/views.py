"""Pages of the card payment: Stripe's webhook, the resident's return from Stripe, and the
merchant's page to connect their shops' Stripe accounts. Thin: each calls one service."""

import logging

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from orders.models import OrderPayment
from orders.payments import services, stripe_client, webhooks
from orders.payments.money import commission_rate
from shops import selectors as shop_selectors
from shops.access import MerchantRequiredMixin

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's notifications: 400 (nothing written) unless signed with our secret."""
    try:
        webhooks.stripe_event_process(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except stripe_client.WebhookRejected as error:
        logger.warning("Stripe webhook rejected: %s", error)
        return HttpResponseBadRequest("invalid signature")
    except stripe_client.StripeNotConfigured:
        return HttpResponseBadRequest("webhooks not configured")
    return HttpResponse("ok")


class CheckoutReturnView(TemplateView):
    """Where Stripe sends the resident back: the payment is checked with Stripe (as the webhook
    does, whichever comes first), then Oscar's thank-you page, or a page saying it is pending."""

    template_name = "digitaix/checkout/payment_return.html"

    def get(self, request, *args, **kwargs):
        session_id = request.GET.get("session_id", "")
        try:
            payment = services.stripe_checkout_complete(session_id=session_id)
        except OrderPayment.DoesNotExist:
            raise Http404 from None
        order = payment.order
        if order.user_id and order.user_id != request.user.pk:
            raise Http404
        if payment.status == OrderPayment.Status.PAID:
            request.session["checkout_order_id"] = order.pk
            return redirect("checkout:thank-you")
        return self.render_to_response(self.get_context_data(payment=payment, order=order))


class PaymentsView(MerchantRequiredMixin, TemplateView):
    """For each of the merchant's shops: is it paid by card, and the button to connect."""

    template_name = "digitaix/dashboard/payments/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(
            shops=list(shop_selectors.shops_of_user(self.request.user)),
            stripe_enabled=services.stripe_enabled(),
            commission_rate=commission_rate() * 100,
            **kwargs,
        )
        if len(ctx["shops"]) == 1:
            ctx["shop"] = ctx["shops"][0]  # the space's menu then names that shop's screens
        return ctx


class ConnectView(MerchantRequiredMixin, View):
    """Create the shop's Stripe account if needed and send the merchant to Stripe's onboarding
    (POST only: it creates an account)."""

    def post(self, request, *args, **kwargs):
        if not services.stripe_enabled():
            raise Http404
        url = services.shop_stripe_onboarding_start(
            shop=self.shop,
            email=request.user.email,
            refresh_url=request.build_absolute_uri(reverse("payments:index")),
            return_url=request.build_absolute_uri(
                reverse("payments:return", kwargs={"slug": self.shop.code})
            ),
        )
        return redirect(url)


class ConnectReturnView(MerchantRequiredMixin, View):
    """Back from Stripe's onboarding: read the account's status afresh."""

    def get(self, request, *args, **kwargs):
        if not services.stripe_enabled():
            raise Http404
        shop = services.shop_stripe_account_refresh(shop=self.shop)
        if shop.stripe_account_ready:
            messages.success(
                request, _("Votre compte Stripe est prêt : vos ventes vous seront versées.")
            )
        else:
            messages.warning(
                request, _("Votre compte Stripe n'est pas encore prêt : terminez l'inscription.")
            )
        return redirect("payments:index")
