"""The Celery app. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")

app = Celery("digitaix")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Defaults for every task: retry temporary errors with exponential back-off.
app.conf.task_annotations = {
    "*": {"retry_backoff": True, "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 5}
}
app.autodiscover_tasks()


@app.task(name="digitaix.ping")
def ping() -> str:
    """The smallest real task: proves a worker is consuming the queue."""
    return "pong"
