"""Placeholder: replaced by the real screens."""

from django.views.generic import TemplateView

from shops.access import MerchantRequiredMixin


class ShopTeamView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class TeamMemberRemoveView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"
