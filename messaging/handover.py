"""Handing a task to Celery from a request, in a way that can never fail or block it.

With Redis down, a publish fails fast (no publish retry, the broker's connection timeout:
CELERY_BROKER_CONNECTION_TIMEOUT, 2 s) and is only logged; then this process does not try
again for `BROKER_PAUSE` seconds, so an unreachable broker costs a request at most one
timeout, not one per task. Whatever is not handed over is caught up by a periodic job: the
outbox relay for e-mails, `catalog.tasks.search_refresh_catch_up` for the search columns,
`catalog.tasks.image_renditions_catch_up` for the product photos' renditions.
"""

import logging
import time

logger = logging.getLogger(__name__)

BROKER_PAUSE = 30.0
_paused_until = 0.0


def handover(task, *, args: list | None = None, kwargs: dict | None = None) -> bool:
    """`task.apply_async(...)` that never raises; False when not handed over (broker down,
    or known down a moment ago)."""
    global _paused_until
    if time.monotonic() < _paused_until:
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception as error:  # noqa: BLE001 - any broker failure: caught up later
        _paused_until = time.monotonic() + BROKER_PAUSE
        logger.warning("%s not handed over, broker unreachable (%s)", task.name, error)
        return False
    return True


def handover_resume() -> None:
    """The broker answered again (the relay got through): stop pausing."""
    global _paused_until
    _paused_until = 0.0
