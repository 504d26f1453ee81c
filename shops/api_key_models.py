"""A shop's keys to the public REST API (/api/v1/, digitaix/api.py).

djangorestframework-api-key's abstract key (shown once, stored hashed, revocable), owned by
one shop and scoped: `read` reads the shop's data, `write` also changes it. Imported by
shops/models.py (Oscar's fork pattern keeps every model of the app there).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager


class ShopApiKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self) -> models.QuerySet:
        """Not revoked, with the shop they belong to (one query per authenticated call)."""
        return super().get_usable_keys().select_related("shop")


class ShopApiKey(AbstractAPIKey):
    class Scope(models.TextChoices):
        READ = "read", _("Lecture")
        WRITE = "write", _("Lecture et écriture")

    objects = ShopApiKeyManager()

    shop = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="api_keys")
    scope = models.CharField(_("Droits"), max_length=8, choices=Scope.choices, default=Scope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("Dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Révoquée le"), null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        app_label = "partner"
        verbose_name = _("Clé d'API")
        verbose_name_plural = _("Clés d'API")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "write"]), name="shopapikey_scope_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class ApiIdempotentRequest(models.Model):
    """A write the API answered under an `Idempotency-Key` header: a retry of the same request
    with the same key gets the same answer and changes nothing twice (kept per shop)."""

    shop = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    # None while the first request is being answered (its transaction holds the row).
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        app_label = "partner"
        constraints = [
            models.UniqueConstraint(fields=["shop", "key"], name="apiidempotentrequest_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status or 'en cours'})"
