from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitaixConfig(AppConfig):
    """The top of the house: no model, only what spans every app (the town's console,
    `manage.py seed_town` and its demo). Installed so Django finds its management command."""

    name = "digitaix"
    verbose_name = _("Digitaix")

    def ready(self) -> None:
        # Only cookies the portal cannot work without (session, CSRF, the basket, the flash
        # messages): no consent banner is needed. Oscar's "recently viewed products" cookie
        # is not one of them, so its product-view receiver is disconnected.
        from oscar.apps.catalogue.signals import product_viewed
        from oscar.apps.customer.receivers import receive_product_view

        product_viewed.disconnect(receive_product_view)

        from digitaix.legal.contact import kinds_register

        kinds_register()  # how the contact form's messages render (messaging)
