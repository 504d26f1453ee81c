"""A live shop's change of identity (name, SIRET, address), waiting for the town's review.

Imported by shops/models.py (Oscar's fork pattern keeps every model of the app there).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# What the public knows a shop by: a live shop changes them only once the town approves.
IDENTITY_FIELDS = ("name", "siret", "address_line", "postcode", "city")


class ShopIdentityChange(models.Model):
    """The values a merchant asked for, beside those approved when they asked.

    The shop's own row keeps the approved values (what the public sees) until staff approve;
    a refusal keeps them for good and tells the merchant why. One pending change per shop: a
    new request replaces it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Validé")
        REFUSED = "refused", _("Refusé")
        WITHDRAWN = "withdrawn", _("Retiré par le commerçant")

    shop = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="identity_changes"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    before = models.JSONField(_("Valeurs validées"), default=dict)
    after = models.JSONField(_("Valeurs demandées"), default=dict)
    status = models.CharField(
        _("État"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(_("Motif"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Demandé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("Décidé le"), null=True, blank=True)
    notified_at = models.DateTimeField(_("Commerçant prévenu le"), null=True, blank=True)

    class Meta:
        app_label = "partner"
        ordering = ("-created_at", "-pk")
        verbose_name = _("Changement d'identité d'une boutique")
        verbose_name_plural = _("Changements d'identité des boutiques")
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(status="pending"),
                name="shopidentitychange_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "refused", "withdrawn"]),
                name="shopidentitychange_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(reason=""),
                name="shopidentitychange_refusal_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} · {self.get_status_display()} · {self.created_at:%d/%m/%Y}"

    def rows(self) -> list[dict]:
        """Each identity field with its label, approved and requested values, and if it moves."""
        from shops.models import Partner

        return [
            {
                "field": name,
                "label": Partner._meta.get_field(name).verbose_name,
                "before": self.before.get(name, ""),
                "after": self.after.get(name, ""),
                "changed": self.before.get(name, "") != self.after.get(name, ""),
            }
            for name in IDENTITY_FIELDS
        ]
