"""The merchant's shop orders, one shop at a time in their space (/ma-boutique/<code>/
commandes/): the list, one shop order's page where they move it along its workflow and record
an on-site payment, its printable preparation slip, and the day's pickup list.

A merchant only ever reaches the shop's own shop orders (orders.selectors: 404 for any other,
even another of their shops'); each action names the status the page showed, so a stale page
changes nothing. The town's staff read every shop's, without any action (support).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView, View

from orders import selectors, services
from orders.fulfilment import fulfilment_provider
from orders.merchant.forms import (
    ACTION_LABELS,
    COLLECTED_PAID,
    PAID,
    OrderListFilterForm,
    PickupDayForm,
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
    COLLECTED_PAID: _("Commande %(number)s : retirée et payée."),
}


class ShopOrderListView(MerchantRequiredMixin, ListView):
    """The shop's orders: those still to handle first; filters by status, mode and slot day,
    search by number or customer name."""

    template_name = "digitaix/space/orders/list.html"
    context_object_name = "shop_orders"
    paginate_by = 25

    def get_queryset(self):
        filtered = set(self.request.GET) & set(OrderListFilterForm.base_fields)
        self.filter_form = OrderListFilterForm(self.request.GET if filtered else None)
        return selectors.shop_orders_list(shop=self.shop, **self.filter_form.filters())

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class OrdersHomeView(MerchantRequiredMixin, View):
    """/ma-boutique/commandes/ (older links, e-mails): the list of the merchant's only shop,
    else the choice of their shops."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        shops = list(shops_of_user(request.user)[:2])
        if len(shops) == 1:
            return redirect("shop-orders:list", slug=shops[0].code)
        return redirect("space:merchant-home")


class OrderMovedView(MerchantRequiredMixin, View):
    """/ma-boutique/commandes/<number>/ (older links): the same shop order in its shop's list;
    404 for a number that is not one of the merchant's shops'."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        shop_order = selectors.shop_order_get_by_number_for_merchant(
            user=request.user, number=kwargs["number"]
        )
        return redirect("shop-orders:detail", slug=shop_order.shop.code, number=shop_order.number)


class _ShopOrderPage(TemplateView):
    """What one shop order's page shows, whoever reads it (`self.shop_order`); each reader's
    view names its template."""

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
    template_name = "digitaix/space/orders/detail.html"

    @cached_property
    def shop_order(self):
        """Read once the mixin has let a merchant in (403 for others, 404 for a shop order
        that is not this shop's)."""
        return selectors.shop_order_get(shop=self.shop, number=self.kwargs["number"])

    def post(self, request, *args, **kwargs):
        form = ShopOrderActionForm(request.POST, shop_order=self.shop_order)
        if form.is_valid():
            try:
                self._act(form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                self.shop_order.refresh_from_db()  # show what it is now, not what was seen
            else:
                return redirect(self._next_url())
        messages.error(request, _("Rien n'a été changé : corrigez ce qui est indiqué."))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _next_url(self) -> str:
        """Back where the action was taken (the shop's day), else this order's page."""
        target = self.request.POST.get("next", "")
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}
        ):
            return target
        return reverse(
            "shop-orders:detail", kwargs={"slug": self.shop.code, "number": self.shop_order.number}
        )

    def _act(self, data: dict) -> None:
        action, number, by = data["action"], self.shop_order.number, self.request.user
        services.shop_order_act(
            shop_order=self.shop_order,
            action=action,
            by=by,
            reason=data["reason"],
            expected_status=data["seen"],
        )
        done = DONE_MESSAGES.get(action) or _("Commande %(number)s : passée à « %(status)s ».")
        status = ShopOrder.Status(action).label if action in ShopOrder.Status.values else ""
        messages.success(self.request, done % {"number": number, "status": status})

    def get_context_data(self, form=None, **kwargs):
        actions = [
            {"value": a, "label": ACTION_LABELS[a], "needs_reason": a in REASON_REQUIRED}
            for a in actions_for(self.shop_order)
        ]
        return super().get_context_data(actions=actions, form=form, **kwargs)


class ShopOrderSlipView(MerchantRequiredMixin, TemplateView):
    """One shop order's preparation slip, to print: what to put in the bag, for whom, when."""

    template_name = "digitaix/space/orders/slip.html"

    def get_context_data(self, **kwargs):
        shop_order = selectors.shop_order_get(shop=self.shop, number=self.kwargs["number"])
        return super().get_context_data(
            shop_order=shop_order,
            order=shop_order.order,
            lines=selectors.shop_order_lines(shop_order=shop_order),
            card_payment=getattr(shop_order.order, "payment", None),
            **kwargs,
        )


class PickupListView(MerchantRequiredMixin, TemplateView):
    """The day's click & collect pickups (today unless another day is chosen), to print."""

    template_name = "digitaix/space/orders/pickups.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form = PickupDayForm(self.request.GET or None, initial={"date": today})
        day = form.day(today)
        return super().get_context_data(
            form=form,
            day=day,
            today=today,
            pickups=selectors.shop_pickups(shop=self.shop, day=day),
            **kwargs,
        )


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
