"""The spaces' homes and the landing after login.

- `/espace/`: where a sign-in without `next` lands: town staff in their space, merchants in
  theirs, anyone else on the public home.
- `/ma-boutique/`: the merchant's home: their only shop's day, or a choice of shops.
- `/ma-boutique/<code>/`: the shop's day (today's orders first, then stock, then the checklist).
- `/gestion/`: the town staff's home.
"""

from django.shortcuts import redirect
from django.views.generic import TemplateView

from digitaix.spaces.staff_home import staff_home
from shops import selectors as shop_selectors
from shops.access import (
    CommerceStaffRequiredMixin,
    MerchantRequiredMixin,
    is_commerce_staff,
    is_merchant,
)
from shops.onboarding import shop_checklist


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


class TodayView(MerchantRequiredMixin, TemplateView):
    """What needs the shop now."""

    template_name = "digitaix/space/merchant_today.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        items = shop_checklist(self.shop)
        ctx["checklist"] = items
        ctx["checklist_done"] = sum(item.done for item in items)
        return ctx


class StaffHomeView(CommerceStaffRequiredMixin, TemplateView):
    """The town staff's home: what waits for a decision (shops, identity changes, reviews),
    what the town withdrew, today's deliveries and the portal's headline figures."""

    template_name = "digitaix/space/staff_home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**staff_home(), **kwargs)
