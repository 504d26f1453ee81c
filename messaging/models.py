"""The outbox: one row per message (an e-mail, a push), written in the same transaction as
what it tells about; and the browsers that take Web Push."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An e-mail to send, written in the same transaction as its cause.

    The outbox is what makes e-mails reliable: the row exists if and only if its cause (an
    order, a status change, a shop signing up, a moderation decision, an invitation...)
    committed; a Celery task sends it once the transaction commits, and a periodic relay
    (`messaging.tasks.relay_outbox`) hands over whatever is still unsent, e.g. because Redis
    was down. Sending locks the row and sets `sent_at`: a message handed over twice is sent
    once. `kind` names a renderer registered by the app that owns it
    (`messaging.registry`); `object_id` and `context` are what it renders from, at send time.
    """

    key = models.CharField(_("Clé"), max_length=150, unique=True)
    kind = models.CharField(_("Type"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("Objet"), null=True, blank=True)
    context = models.JSONField(_("Contexte"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    recipients = models.JSONField(_("Destinataires"), default=list)
    created_at = models.DateTimeField(_("Créé le"), default=timezone.now, editable=False)
    enqueued_at = models.DateTimeField(_("Confié à Celery le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Envoyé le"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("Tentatives"), default=0)
    last_error = models.TextField(_("Dernière erreur"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Message à envoyer")
        verbose_name_plural = _("Messages à envoyer")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True),
                name="messaging_unsent_idx",
            )
        ]

    def __str__(self) -> str:
        return self.key


class PushSubscription(models.Model):
    """One browser (a shop's phone, usually) that accepted Web Push for an account.

    What the browser's `PushSubscription.toJSON()` gives: the push service's `endpoint` (a
    capability URL: whoever holds it, with our VAPID key, can push) and the keys the payload is
    encrypted for (`p256dh`, `auth`). The endpoint is unique: one browser, one row, whoever
    signed in on it last. A push service answering 404 or 410 deletes it (messaging.push).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
        verbose_name=_("Compte"),
    )
    endpoint = models.URLField(
        _("Adresse du service de notification"), max_length=1000, unique=True
    )
    p256dh = models.CharField(_("Clé publique du navigateur"), max_length=100)
    auth = models.CharField(_("Secret d'authentification"), max_length=50)
    created_at = models.DateTimeField(_("Créé le"), default=timezone.now, editable=False)
    last_success_at = models.DateTimeField(
        _("Dernière notification reçue le"), null=True, blank=True
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Abonnement aux notifications")
        verbose_name_plural = _("Abonnements aux notifications")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.endpoint[:60]}"

    def as_subscription_info(self) -> dict:
        """The shape pywebpush (and the browser) know it by."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
