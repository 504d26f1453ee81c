from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailVerification(models.Model):
    """Proof that an account's owner reads mail at `email`: they opened the signed link sent
    there. Changing the account's e-mail makes it unproven again (the addresses differ)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_verification",
        verbose_name=_("Compte"),
    )
    email = models.EmailField(_("Adresse vérifiée"), max_length=254)
    verified_at = models.DateTimeField(_("Vérifiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("Adresse e-mail vérifiée")
        verbose_name_plural = _("Adresses e-mail vérifiées")

    def __str__(self) -> str:
        return self.email
