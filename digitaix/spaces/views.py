"""The spaces' homes and the landing after login.

- `/espace/`: where a sign-in without `next` lands: town staff in their space, merchants in
  theirs, anyone else on the public home.
- `/ma-boutique/`: the merchant's home: their only shop's day, or a choice of shops.
- `/ma-boutique/<code>/`: the shop's day (today's orders first, then stock, then the checklist).
- `/gestion/`: the town staff's home.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView, View

from digitaix.spaces.staff_home import staff_home
from orders import selectors as order_selectors
from orders.merchant.forms import ACTION_LABELS, COLLECTED_PAID, actions_for
from shops import selectors as shop_selectors
from shops.access import (
    CommerceStaffRequiredMixin,
    MerchantRequiredMixin,
    is_commerce_staff,
    is_merchant,
)
from shops.onboarding import shop_checklist
from shops.stock_selectors import merchant_stock_alerts


def landing(request):
    """After login: each role to its own space (a superuser to Oscar's dashboard)."""
    user = request.user
    if user.is_authenticated and user.is_superuser:
        return redirect("dashboard:index")
    if is_commerce_staff(user):
        return redirect("space:staff-home")
    if is_merchant(user):
        return redirect("space:merchant-home")
    return redirect("home")


class MerchantHomeView(MerchantRequiredMixin, TemplateView):
    """One shop: straight to its day. Several: choose (`?boutique=<code>` goes there). None:
    register one."""

    template_name = "digitaix/space/merchant_home.html"

    def get(self, request, *args, **kwargs):
        shops = list(shop_selectors.merchant_shops_onboarding(user=request.user))
        wanted = request.GET.get("boutique", "")
        chosen = [shop for shop in shops if shop.code == wanted]
        if len(shops) == 1 or chosen:
            return redirect("space:today", slug=(chosen or shops)[0].code)
        return self.render_to_response(self.get_context_data(shops=shops))


#: The one-tap action each group of the shop's day offers (a refusal needs a reason: the
#: order's page).
ONE_TAP = {
    "to_accept": ("accepted",),
    "to_prepare": ("ready",),
    "waiting": (COLLECTED_PAID, "collected"),
}


def _one_tap(shop_day) -> None:
    """Give each listed shop order its `one_tap` action (value, label), if its status and
    payment allow one (a delivery waits for the courier: none)."""
    for group, wanted in ONE_TAP.items():
        for shop_order in getattr(shop_day, group):
            allowed = actions_for(shop_order)
            value = next((action for action in wanted if action in allowed), None)
            shop_order.one_tap = value and {"value": value, "label": ACTION_LABELS[value]}


class _ShopDayMixin(MerchantRequiredMixin):
    """The orders part of the shop's day, for the page and for its poll."""

    def shop_day_context(self) -> dict:
        shop_day = order_selectors.shop_day(shop=self.shop)
        _one_tap(shop_day)
        return {"shop": self.shop, "day": shop_day, "today_url": self.request.path}

    def orders_html(self, context: dict) -> str:
        return render_to_string("digitaix/space/_today_orders.html", context, request=self.request)


class TodayView(_ShopDayMixin, TemplateView):
    """What needs the shop now: orders (each with its one-tap action), stock alerts, then
    the onboarding checklist until it is complete. The page asks `TodayPollView` for news."""

    template_name = "digitaix/space/merchant_today.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.shop_day_context())
        items = shop_checklist(self.shop)
        ctx["checklist"] = items
        ctx["checklist_done"] = sum(item.done for item in items)
        ctx["stock"] = merchant_stock_alerts(
            shop=self.shop, threshold=settings.DIGITAIX_LOW_STOCK_THRESHOLD
        )
        ctx["products_url"] = _products_url(self.shop)
        ctx["poll_seconds"] = settings.DIGITAIX_TODAY_POLL_SECONDS
        return ctx


def _products_url(shop) -> str:
    """The shop's products page, or its stock editor where there is none (yet)."""
    try:
        return reverse("merchant:products", args=[shop.code])
    except NoReverseMatch:
        return reverse("merchant:stock", args=[shop.code])


class TodayPollView(_ShopDayMixin, View):
    """The orders part of the shop's day as JSON, for the open page (static/digitaix/js/
    today.js): its HTML, the counts, the new orders' numbers (to ring for the unseen ones)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        context = self.shop_day_context()
        context["today_url"] = reverse("space:today", args=[self.shop.code])
        shop_day = context["day"]
        response = JsonResponse(
            {
                "counts": shop_day.counts,
                "signature": shop_day.signature,
                "new_numbers": shop_day.numbers_to_accept,
                "html": self.orders_html(context),
            }
        )
        response["Cache-Control"] = "no-store"
        return response


class StaffHomeView(CommerceStaffRequiredMixin, TemplateView):
    """The town staff's home: what waits for a decision (shops, identity changes, reviews),
    what the town withdrew, today's deliveries and the portal's headline figures."""

    template_name = "digitaix/space/staff_home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**staff_home(), **kwargs)
