"""The outbox: one row per e-mail, written in the same transaction as what it tells about."""

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
