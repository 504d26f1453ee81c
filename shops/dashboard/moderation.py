"""Placeholder: replaced by the real screens."""

from django.views.generic import TemplateView

from shops.access import CommerceStaffRequiredMixin


class ModerationQueueView(CommerceStaffRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class ShopModerationView(CommerceStaffRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class ModerationLogView(CommerceStaffRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class ProductModerationListView(CommerceStaffRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class ProductModerationView(CommerceStaffRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"
