"""Celery tasks of delivery: thin, taking ids, safe to run twice (each calls one service)."""

from celery import shared_task


@shared_task
def build_due_rounds(now: str | None = None) -> int:
    """Periodic: build the rounds of every delivery slot whose cut-off has just passed.

    `now` (ISO 8601) replays a given moment, e.g. from a test or after an outage; returns how
    many rounds were built."""
    import datetime

    from delivery.dispatch import rounds_build_due

    return rounds_build_due(now=datetime.datetime.fromisoformat(now) if now else None)
