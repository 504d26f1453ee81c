"""Celery tasks of the outbox: thin, taking ids, safe to run twice (each calls one service).

No result is kept (`ignore_result`): nothing reads one, and a result backend that cannot be
reached must not slow down the request that hands a task over.
"""

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(SMTPException, ConnectionError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_outbox_message(self, message_id: int) -> bool:
    """Send one e-mail of the outbox; safe to run twice (sent once)."""
    from messaging.services import message_failure_record, message_send

    try:
        return message_send(message_id=message_id)
    except Exception as error:
        message_failure_record(message_id=message_id, error=error)
        raise


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Periodic: hand over to Celery the e-mails still unsent (e.g. Redis was down)."""
    from messaging.services import message_relay

    return message_relay()


@shared_task(ignore_result=True)
def prune_sent_messages() -> int:
    """Daily: delete the e-mails sent more than 30 days ago (the privacy notice's promise)."""
    from messaging.services import messages_sent_prune

    return messages_sent_prune()
