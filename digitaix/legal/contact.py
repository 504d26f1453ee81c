"""The contact form's messages: written to the outbox in the request's transaction, sent by
Celery to the town's commerce staff (DIGITAIX_CONTACT_EMAIL) with the visitor as Reply-To."""

import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from messaging.emails import email_build
from messaging.models import OutboxMessage
from messaging.registry import kind_register
from messaging.services import message_add

CONTACT_MESSAGE = "contact_message"


@transaction.atomic
def contact_message_send(
    *, name: str, email: str, subject: str, order_number: str, message: str, user_id: int | None
) -> OutboxMessage | None:
    """Write the visitor's message to the outbox (sent once the transaction commits)."""
    return message_add(
        kind=CONTACT_MESSAGE,
        key=f"contact:{uuid.uuid4().hex}",
        recipients=[settings.DIGITAIX_CONTACT_EMAIL],
        context={
            "name": name,
            "email": email,
            "subject": subject,
            "order_number": order_number,
            "message": message,
            "user_id": user_id,
        },
    )


def _contact_email(message: OutboxMessage) -> EmailMessage:
    context = {"site_name": settings.OSCAR_SHOP_NAME, **message.context}
    email = email_build("contact_message", context, to=list(message.recipients))
    email.reply_to = [message.context["email"]]
    return email


def kinds_register() -> None:
    kind_register(CONTACT_MESSAGE, email=_contact_email)
