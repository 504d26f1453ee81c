from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        from messaging.dispatcher import RENDERED, rendered_message_email
        from messaging.registry import kind_register

        kind_register(RENDERED, email=rendered_message_email)  # Oscar's own e-mails
