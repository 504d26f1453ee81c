"""Roles, as the catalogue needs them. They are decided in shops.access, above the catalogue
in the layers: the catalogue reaches it through a setting, as orders reach delivery."""

from django.conf import settings
from django.utils.module_loading import import_string


def sees_hidden_catalogue(user) -> bool:
    """Products no live shop offers and hidden categories: the town's staff, for support."""
    return import_string(settings.DIGITAIX_HIDDEN_CATALOGUE_VIEWER)(user)
