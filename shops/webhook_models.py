"""A shop's webhooks: the HTTPS endpoints of its own tools that hear of its Digitaix orders
(shops/services/webhooks.py sends them). Imported by shops/models.py (Oscar's fork pattern)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEndpoint(models.Model):
    class Event(models.TextChoices):
        SHOP_ORDER_CREATED = "shop_order.created", _("Nouvelle commande")
        SHOP_ORDER_STATUS_CHANGED = "shop_order.status_changed", _("Commande : nouveau statut")
        SHOP_ORDER_CANCELLED = "shop_order.cancelled", _("Commande annulée ou refusée")
        OFFER_OUT_OF_STOCK = "offer.out_of_stock", _("Offre en rupture")

    shop = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("Adresse"), max_length=500)
    # Signs every delivery (HMAC-SHA256); shown once to the merchant, kept to sign.
    secret = models.CharField(max_length=64, editable=False)
    events = models.JSONField(_("Événements"), default=list)
    is_active = models.BooleanField(_("Actif"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "partner"
        ordering = ["created_at", "pk"]
        verbose_name = _("Webhook")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint, written with its cause; sent in order per `ordering_key`
    (one shop order's events one after the other), retried until `give_up_at`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        DELIVERED = "delivered", _("Reçu")
        FAILED = "failed", _("Abandonné")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=64)
    ordering_key = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    give_up_at = models.DateTimeField()
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        app_label = "partner"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhookdelivery_due_idx",
            ),
            models.Index(fields=["endpoint", "ordering_key", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id}"
