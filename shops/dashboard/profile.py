"""Placeholder: replaced by the real screens."""

from django.views.generic import TemplateView

from shops.access import MerchantRequiredMixin


class MerchantShopListView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class ShopCreateView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class ShopProfileView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class ShopHoursView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"
