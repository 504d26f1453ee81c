"""The merchant's shop orders: the list of their shops' parts of residents' orders, and one
shop order's page where they move it along its workflow and record an on-site payment.

A merchant only ever reaches their own shops' shop orders (orders.selectors: 404 for any
other); each action names the status the page showed, so a stale page changes nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from orders import selectors, services
from orders.fulfilment import fulfilment_provider
from orders.merchant.forms import (
    ACTION_LABELS,
    PAID,
    ShopOrderActionForm,
    ShopOrderFilterForm,
    actions_for,
)
from orders.models import ShopOrder
from orders.workflow import REASON_REQUIRED
from shops.access import CommerceStaffRequiredMixin, MerchantRequiredMixin
from shops.selectors import shops_of_user

DONE_MESSAGES = {
    PAID: _("Paiement enregistré pour la commande %(number)s."),
}


class ShopOrderListView(MerchantRequiredMixin, ListView):
    template_name = "digitaix/dashboard/shop_orders/list.html"
    context_object_name = "shop_orders"
    paginate_by = 25

    def get_queryset(self):
        shops = list(shops_of_user(self.request.user))
        self.filter_form = ShopOrderFilterForm(self.request.GET or None, shops=shops)
        return selectors.shop_orders_filter(user=self.request.user, **self.filter_form.filters())

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class _ShopOrderPage(TemplateView):
    """What one shop order's page shows, whoever reads it (`self.shop_order`)."""

    template_name = "digitaix/dashboard/shop_orders/detail.html"

    def get_context_data(self, **kwargs):
        shop_order = self.shop_order
        return super().get_context_data(
            shop_order=shop_order,
            order=shop_order.order,
            lines=selectors.shop_order_lines(shop_order=shop_order),
            events=selectors.shop_order_events(shop_order=shop_order),
            share=selectors.shop_order_share(shop_order=shop_order),
            card_payment=getattr(shop_order.order, "payment", None),
            delivery_progress=(
                fulfilment_provider().delivery_progress(shop_order=shop_order)
                if shop_order.fulfilment == ShopOrder.Fulfilment.DELIVERY
                else ""
            ),
            **kwargs,
        )


class ShopOrderDetailView(MerchantRequiredMixin, _ShopOrderPage):
    @cached_property
    def shop_order(self):
        """Read once the mixin has let a merchant in (403 for others, 404 for a shop order
        that is not of their shops)."""
        return selectors.shop_order_get_by_number_for_merchant(
            user=self.request.user, number=self.kwargs["number"]
        )

    def post(self, request, *args, **kwargs):
        form = ShopOrderActionForm(request.POST, shop_order=self.shop_order)
        if form.is_valid():
            try:
                self._act(form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                self.shop_order.refresh_from_db()  # show what it is now, not what was seen
            else:
                return redirect("shop-orders:detail", number=self.shop_order.number)
        messages.error(request, _("Rien n'a été changé : corrigez ce qui est indiqué."))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _act(self, data: dict) -> None:
        action, number = data["action"], self.shop_order.number
        if action == PAID:
            services.shop_order_mark_paid(shop_order=self.shop_order, by=self.request.user)
            messages.success(self.request, DONE_MESSAGES[PAID] % {"number": number})
            return
        services.shop_order_transition(
            shop_order=self.shop_order,
            to_status=action,
            by=self.request.user,
            reason=data["reason"],
            expected_status=data["seen"],
        )
        messages.success(
            self.request,
            _("Commande %(number)s : passée à « %(status)s ».")
            % {"number": number, "status": ShopOrder.Status(action).label},
        )

    def get_context_data(self, form=None, **kwargs):
        actions = [
            {"value": a, "label": ACTION_LABELS[a], "needs_reason": a in REASON_REQUIRED}
            for a in actions_for(self.shop_order)
        ]
        return super().get_context_data(actions=actions, form=form, **kwargs)


class ShopOrderSupportListView(CommerceStaffRequiredMixin, ListView):
    """Every shop's shop orders for the town's staff, read-only (support): the merchant's
    list and filters, the shop's name searchable, each row opening the read-only page."""

    template_name = "digitaix/space/staff/support_orders/list.html"
    context_object_name = "shop_orders"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = ShopOrderFilterForm(self.request.GET or None, shops=[])
        return selectors.support_shop_orders_filter(**self.filter_form.filters())

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, support=True, **kwargs)


class ShopOrderSupportDetailView(CommerceStaffRequiredMixin, _ShopOrderPage):
    """One shop order as its merchant sees it, without any action (POST: 405): only the
    merchant and the couriers move a shop order along."""

    template_name = "digitaix/space/staff/support_orders/detail.html"
    http_method_names = ["get", "head"]

    @cached_property
    def shop_order(self):
        return selectors.support_shop_order_get(number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(support=True, actions=[], **kwargs)
