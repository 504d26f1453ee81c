from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Accounts: throttled logins, rate limits, e-mail verification, the staff's second factor.

    A bottom layer: it may import `messaging` only; every other app may import it.
    """

    name = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from accounts.verification import kinds_register

        kinds_register()
