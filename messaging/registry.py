"""How each kind of message renders, registered by the app that owns it.

An app calls `kind_register` in its AppConfig.ready(); messaging then renders a row of that
kind at send time: `context(message)` builds the template context from the row (its
`object_id` and `context`), so links and tokens are made when the e-mail leaves, not when
it was written. A builder returning None says the message is moot by now: it is closed
without being sent. A kind may instead build the whole e-mail itself (`email`), e.g. one
Oscar rendered already (`messaging.dispatcher`), or be a Web Push instead of an e-mail
(`push`: builds the notification's JSON payload, sent by `messaging.push`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage

ContextBuilder = Callable[[Any], dict | None]
EmailBuilder = Callable[[Any], EmailMessage | None]
PushBuilder = Callable[[Any], dict | None]


def context_as_stored(message) -> dict:
    """The default builder: the row's own JSON context."""
    return dict(message.context)


@dataclass(frozen=True)
class Kind:
    name: str
    template: str  # templates/digitaix/emails/<template>{_subject.txt,.txt,.html}
    context: ContextBuilder = context_as_stored
    email: EmailBuilder | None = None  # builds the whole message instead of the templates
    push: PushBuilder | None = None  # a Web Push: builds its payload ({title, body, url})


_KINDS: dict[str, Kind] = {}


def kind_register(
    name: str,
    *,
    template: str = "",
    context: ContextBuilder = context_as_stored,
    email: EmailBuilder | None = None,
    push: PushBuilder | None = None,
) -> None:
    """Declare a kind of message: its `template` and `context` builder, or an `email`
    builder, or a `push` payload builder. Registering the same name again replaces it."""
    if not template and email is None and push is None:
        raise ValueError("A kind needs a template, an e-mail builder or a push builder")
    _KINDS[name] = Kind(name=name, template=template, context=context, email=email, push=push)


def kind_get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(
            f"Unknown kind of message {name!r}: register it (kind_register)"
        ) from None
