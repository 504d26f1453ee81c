"""Every e-mail (and Web Push) through a transactional outbox (`OutboxMessage`), sent by Celery.

`message_add` runs inside the caller's transaction: the row commits with its cause (the
order, the status change, the new shop, the decision, the invitation) or not at all. Once
the transaction commits, the new message is handed to Celery (`send_outbox_message`); if the
broker cannot be reached, the hand-over fails fast (`messaging.handover`: no publish retry,
a short connection timeout, then no further attempt from this process for a while) and is
only logged: the request succeeds, and the periodic relay (`relay_outbox`, every minute) hands
over what is still unsent once Redis is back. Sending is idempotent: the row is locked and
`sent_at` checked, so each message leaves exactly once.
"""

import datetime
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from messaging.emails import email_build
from messaging.handover import handover, handover_resume
from messaging.models import OutboxMessage, PushSubscription
from messaging.push import push_deliver
from messaging.registry import kind_get
from messaging.tasks import send_outbox_message

# A message handed over to Celery but still unsent after this long is handed over again.
REENQUEUE_AFTER = datetime.timedelta(minutes=5)
# A sent message (its recipients and context hold personal data) is deleted after this long,
# as the privacy notice says; an unsent one is never deleted.
SENT_KEPT = datetime.timedelta(days=30)


def message_add(
    *,
    kind: str,
    key: str,
    recipients: Iterable[str],
    object_id: int | None = None,
    context: dict | None = None,
) -> OutboxMessage | None:
    """Write one e-mail in the caller's transaction, to be sent once it commits.

    - `kind`: a kind registered with `messaging.registry.kind_register` (its templates and
      the context builder that renders it at send time); an unknown kind raises LookupError.
    - `key`: unique; a second call with the same key writes nothing (once per key), e.g.
      `f"shop-moderated:{event.pk}"`.
    - `recipients`: e-mail addresses (for a push: the subscription's endpoint); blanks
      dropped, duplicates merged. None left: nothing is written.
    - `object_id` and/or `context` (JSON: str, numbers, lists, dicts; dates and decimals as
      strings): what the kind's context builder reads when the e-mail leaves.

    Returns the row written, or None. Never touches the broker inside the transaction: the
    hand-over happens after commit and cannot fail the request.
    """
    kind_get(kind)  # fail loudly, in the caller's tests, on a kind nobody registered
    addresses = sorted({address.strip() for address in recipients if address and address.strip()})
    if not addresses:
        return None
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind, key=key, recipients=addresses, object_id=object_id, context=context or {}
            )
    except IntegrityError:
        return None  # already written by an earlier call: once per key
    transaction.on_commit(partial(message_enqueue, message_ids=[message.pk], from_request=True))
    return message


# Hand-over to Celery --------------------------------------------------------------------


def message_enqueue(*, message_ids: list[int], from_request: bool = False) -> int:
    """Hand the messages to Celery; stops at the first broker error (logged, not raised).
    Returns how many were handed over. `from_request`: through `messaging.handover`, which
    does not even try while the broker is known down; the relay always tries."""
    if not from_request:
        handover_resume()
    handed = 0
    for message_id in message_ids:
        if not handover(send_outbox_message, args=[message_id]):
            break
        handover_resume()
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
            enqueued_at=timezone.now()
        )
        handed += 1
    return handed


def message_relay(*, limit: int = 500) -> int:
    """Hand over every message still unsent: never handed over, or handed over long ago."""
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True)
        .exclude(enqueued_at__gt=now - REENQUEUE_AFTER)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return message_enqueue(message_ids=ids)


# Sending ------------------------------------------------------------------------------------


def message_send(*, message_id: int) -> bool:
    """Send one message unless it was already sent; returns whether it sent it now.

    The row stays locked while the e-mail goes out, so a second worker handed the same
    message waits, then finds it sent. A failure leaves it unsent (the task retries).
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.sent_at is not None:
            return False
        unsent_because = _deliver(message)
        if unsent_because:  # moot by now (say, the invited account chose its password)
            message.last_error = unsent_because
        message.sent_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["sent_at", "attempts", "last_error"])
    return not unsent_because


def _deliver(message: OutboxMessage) -> str:
    """Send a row by its kind (an e-mail, or a Web Push); "" once sent, else why it is closed
    unsent. A temporary failure raises, the row left unsent."""
    kind = kind_get(message.kind)
    if kind.push is not None:
        return push_deliver(message=message, build=kind.push)
    email = _email(message)
    if email is None:
        return "sans objet au moment de l'envoi"
    email.send()
    return ""


def _email(message: OutboxMessage) -> EmailMessage | None:
    """The e-mail of a row, rendered now by its kind; None when it is moot."""
    kind = kind_get(message.kind)
    if kind.email is not None:
        return kind.email(message)
    context = kind.context(message)
    if context is None:
        return None
    context = {"site_name": settings.OSCAR_SHOP_NAME, **context}
    return email_build(kind.template, context, to=list(message.recipients))


def messages_sent_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the messages sent more than SENT_KEPT ago; returns how many went."""
    cutoff = (now or timezone.now()) - SENT_KEPT
    return OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()[0]


def message_failure_record(*, message_id: int, error: Exception) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(last_error=repr(error)[:2000])


# Web Push subscriptions -------------------------------------------------------------------


class SubscriptionTaken(Exception):
    """The endpoint is another account's, with other keys: not this browser's to claim."""


@transaction.atomic
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """Record that this browser takes `user`'s pushes (validated by
    `messaging.forms.PushSubscriptionForm`); subscribing again is harmless.

    The endpoint is the browser's: found with the same keys under another account (someone
    else signed in on this phone before), it moves to `user`. Found with other keys, it is
    refused (SubscriptionTaken): knowing an endpoint is not owning the browser behind it.
    """
    found = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if found is None:
        return PushSubscription.objects.create(
            user=user, endpoint=endpoint, p256dh=p256dh, auth=auth
        )
    if found.user_id != user.pk and (found.p256dh, found.auth) != (p256dh, auth):
        raise SubscriptionTaken(endpoint)
    found.user, found.p256dh, found.auth = user, p256dh, auth
    found.save(update_fields=["user", "p256dh", "auth"])
    return found


def push_subscription_delete(*, user: User, endpoint: str) -> bool:
    """Forget one of `user`'s own browsers; another account's subscription is never touched.
    Returns whether one was deleted."""
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return bool(deleted)
