"""How each kind of message renders, registered by the app that owns it.

An app calls `kind_register` in its AppConfig.ready(); messaging then renders a row of that
kind at send time: `context(message)` builds the template context from the row (its
`object_id` and `context`), so links and tokens are made when the e-mail leaves, not when
it was written. A builder returning None says the message is moot by now: it is closed
without being sent. A kind may instead build the whole e-mail itself (`email`), e.g. one
Oscar rendered already (`messaging.dispatcher`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage

ContextBuilder = Callable[[Any], dict | None]
EmailBuilder = Callable[[Any], EmailMessage | None]


def context_as_stored(message) -> dict:
    """The default builder: the row's own JSON context."""
    return dict(message.context)


@dataclass(frozen=True)
class Kind:
    name: str
    template: str  # templates/digitaix/emails/<template>{_subject.txt,.txt,.html}
    context: ContextBuilder = context_as_stored
    email: EmailBuilder | None = None  # builds the whole message instead of the templates


_KINDS: dict[str, Kind] = {}


def kind_register(
    name: str,
    *,
    template: str = "",
    context: ContextBuilder = context_as_stored,
    email: EmailBuilder | None = None,
) -> None:
    """Declare a kind of message: its `template` and `context` builder, or an `email`
    builder. Registering the same name again replaces it (reloads)."""
    if not template and email is None:
        raise ValueError("A kind needs a template or an e-mail builder")
    _KINDS[name] = Kind(name=name, template=template, context=context, email=email)


def kind_get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(
            f"Unknown kind of message {name!r}: register it (kind_register)"
        ) from None
