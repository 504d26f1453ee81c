"""Placeholder: replaced by the real screens."""

from django.views.generic import TemplateView


class MerchantSignupView(TemplateView):
    template_name = "oscar/dashboard/layout.html"
