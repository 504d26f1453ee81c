"""Placeholder: replaced by the real screens."""

from django.views.generic import TemplateView

from shops.access import MerchantRequiredMixin


class StockEditorView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class OfferOnSaleView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class CsvImportView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class CsvImportDetailView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"


class CsvExportView(MerchantRequiredMixin, TemplateView):
    template_name = "oscar/dashboard/layout.html"
