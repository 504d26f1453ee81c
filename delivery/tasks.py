"""Celery tasks of delivery: thin, taking ids, safe to run twice (each calls one service)."""

from smtplib import SMTPException

from celery import shared_task


@shared_task
def build_due_rounds(now: str | None = None) -> int:
    """Periodic: build the rounds of every delivery slot whose cut-off has just passed.

    `now` (ISO 8601) replays a given moment, e.g. from a test or after an outage; returns how
    many rounds were built."""
    import datetime

    from delivery.dispatch import rounds_build_due

    return rounds_build_due(now=datetime.datetime.fromisoformat(now) if now else None)


@shared_task(
    ignore_result=True,
    autoretry_for=(SMTPException, ConnectionError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def notify_dispatch_alert(alert_id: int) -> int:
    """E-mail the town's staff that a slot's parcels could not all be given to a courier."""
    from delivery.rounds import dispatch_alert_notify

    return dispatch_alert_notify(alert_id=alert_id)
