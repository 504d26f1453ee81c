"""The outbox API (`messaging.services.message_add`): written with its cause, sent once."""

from unittest import mock

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from messaging.models import OutboxMessage
from messaging.registry import kind_register
from messaging.services import message_add, message_relay, message_send

pytestmark = pytest.mark.django_db

TEMPLATES = {
    "digitaix/emails/hello_subject.txt": "Bonjour {{ name }}\n",
    "digitaix/emails/hello.txt": "Bonjour {{ name }}, objet {{ object_id }} ({{ site_name }}).",
    "digitaix/emails/hello.html": "<p>Bonjour {{ name }}</p>",
}


@pytest.fixture(autouse=True)
def hello_kind(settings, eager_celery):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]
    kind_register(
        "test_hello",
        template="hello",
        context=lambda message: {**message.context, "object_id": message.object_id},
    )


def hello_add(key: str = "hello:1", **extra) -> OutboxMessage | None:
    fields = {"recipients": ["elise@example.fr"], "context": {"name": "Élise"}, "object_id": 7}
    return message_add(kind="test_hello", key=key, **{**fields, **extra})


def test_a_message_is_sent_once_after_its_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = hello_add()
        assert mailoutbox == []  # nothing leaves before the commit

    (mail,) = mailoutbox
    assert mail.to == ["elise@example.fr"] and mail.subject == "Bonjour Élise"
    assert "objet 7" in mail.body
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert message_send(message_id=message.pk) is False and len(mailoutbox) == 1


def test_a_key_is_written_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert hello_add() is not None
        assert hello_add(context={"name": "Autre"}) is None

    assert OutboxMessage.objects.get().context == {"name": "Élise"}


def test_a_rolled_back_cause_leaves_no_message(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            hello_add()
            raise RuntimeError("the cause fails")

    assert not OutboxMessage.objects.exists() and mailoutbox == []


def test_a_message_without_any_recipient_is_not_written():
    assert hello_add(recipients=["", "  "]) is None
    assert not OutboxMessage.objects.exists()


def test_recipients_are_deduplicated():
    message = hello_add(recipients=["b@example.fr", "a@example.fr", "b@example.fr"])
    assert message.recipients == ["a@example.fr", "b@example.fr"]


def test_an_unregistered_kind_is_refused():
    with pytest.raises(LookupError):
        message_add(kind="nobody_registered_this", key="x", recipients=["a@example.fr"])
    assert not OutboxMessage.objects.exists()


def test_with_the_broker_down_the_message_waits_then_the_relay_sends_it_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    down = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with mock.patch("messaging.tasks.send_outbox_message.apply_async", side_effect=down) as sent:
        with django_capture_on_commit_callbacks(execute=True):
            hello_add(key="hello:1")
        with django_capture_on_commit_callbacks(execute=True):
            hello_add(key="hello:2")  # the broker is known down: not even tried
        assert sent.call_count == 1
        assert message_relay() == 0

    assert mailoutbox == [] and OutboxMessage.objects.filter(enqueued_at=None).count() == 2
    assert message_relay() == 2
    assert message_relay() == 0
    assert len(mailoutbox) == 2


def test_sent_messages_are_deleted_after_30_days_and_unsent_ones_never():
    """The privacy notice's promise: what was sent (addresses, context) is kept 30 days."""
    import datetime

    from django.utils import timezone

    from messaging.services import messages_sent_prune

    now = timezone.now()
    old = OutboxMessage.objects.create(kind="hello", key="old", recipients=["a@example.fr"])
    recent = OutboxMessage.objects.create(kind="hello", key="recent", recipients=["b@example.fr"])
    unsent = OutboxMessage.objects.create(kind="hello", key="unsent", recipients=["c@example.fr"])
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=now - datetime.timedelta(days=31))
    OutboxMessage.objects.filter(pk=recent.pk).update(sent_at=now - datetime.timedelta(days=29))
    OutboxMessage.objects.filter(pk=unsent.pk).update(created_at=now - datetime.timedelta(days=90))
    assert messages_sent_prune(now=now) == 1
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {"recent", "unsent"}
