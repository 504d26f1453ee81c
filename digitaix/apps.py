from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitaixConfig(AppConfig):
    """The top of the house: no model, only what spans every app (the town's console,
    `manage.py seed_town` and its demo). Installed so Django finds its management command."""

    name = "digitaix"
    verbose_name = _("Digitaix")
