"""Placeholder: Oscar's product forms, with uploaded photos checked by catalog.images."""

from oscar.apps.dashboard.catalogue import forms as oscar_forms


class ProductImageForm(oscar_forms.ProductImageForm):
    pass
