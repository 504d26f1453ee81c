"""Oscar's e-mail dispatcher, its e-mails written in the outbox instead of sent in the request.

Oscar sends every e-mail of its own (password reset, from the site and from the dashboard;
registration; e-mail or password changed; stock alerts; the dashboard's test e-mail) through
`communication.utils.Dispatcher.send_email_messages`. Loaded in its place through
DIGITAIX_CLASS_OVERRIDES: the message Oscar rendered is stored as is (subject, text, HTML) and
sent by the relay, so a broker or SMTP outage never fails the request.
"""

import uuid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from oscar.apps.communication import utils

from messaging.services import message_add

RENDERED = "rendered"


class Dispatcher(utils.Dispatcher):
    def send_email_messages(self, recipient_email, messages, from_email=None, attachments=None):
        if attachments:  # none of our e-mails has any: Oscar's own way, sent now
            return super().send_email_messages(recipient_email, messages, from_email, attachments)
        context = {
            "subject": messages["subject"],
            "body": messages["body"],
            "html": messages["html"] or "",
            "from_email": from_email or settings.OSCAR_FROM_EMAIL,
        }
        message_add(
            kind=RENDERED,
            key=f"{RENDERED}:{uuid.uuid4().hex}",
            recipients=[recipient_email],
            context=context,
        )
        self.logger.info("E-mail to %s written in the outbox", recipient_email)
        return rendered_email(context, to=[recipient_email])


def rendered_email(context: dict, *, to: list[str]) -> EmailMessage:
    """The e-mail Oscar rendered, rebuilt from the row's context."""
    email = EmailMultiAlternatives(
        context["subject"], context["body"], from_email=context["from_email"], to=to
    )
    if context["html"]:
        email.attach_alternative(context["html"], "text/html")
    return email


def rendered_message_email(message) -> EmailMessage:
    return rendered_email(message.context, to=list(message.recipients))
