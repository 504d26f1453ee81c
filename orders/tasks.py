from smtplib import SMTPException

from celery import shared_task


# No result is kept (ignore_result): nothing reads it, and a result backend that cannot be
# reached must not slow down the request that hands the message over.
@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(SMTPException, ConnectionError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_outbox_message(self, message_id: int) -> bool:
    """Send one order e-mail of the outbox; safe to run twice (sent once)."""
    from orders.outbox import outbox_failure_record, outbox_message_send

    try:
        return outbox_message_send(message_id=message_id)
    except Exception as error:
        outbox_failure_record(message_id=message_id, error=error)
        raise


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Hand over to Celery the order e-mails still unsent (e.g. Redis was down)."""
    from orders.outbox import outbox_relay

    return outbox_relay()
