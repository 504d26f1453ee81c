"""How each kind of message renders, registered by the app that owns it.

An app calls `kind_register` in its AppConfig.ready(); messaging then renders a row of that
kind at send time: `context(message)` builds the template context from the row (its
`object_id` and `context`), so links and tokens are made when the e-mail leaves, not when
it was written. A builder returning None says the message is moot by now: it is closed
without being sent.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ContextBuilder = Callable[[Any], dict | None]


def context_as_stored(message) -> dict:
    """The default builder: the row's own JSON context."""
    return dict(message.context)


@dataclass(frozen=True)
class Kind:
    name: str
    template: str  # templates/digitaix/emails/<template>{_subject.txt,.txt,.html}
    context: ContextBuilder = context_as_stored


_KINDS: dict[str, Kind] = {}


def kind_register(name: str, *, template: str, context: ContextBuilder = context_as_stored) -> None:
    """Declare a kind of message; registering the same name again replaces it (reloads)."""
    _KINDS[name] = Kind(name=name, template=template, context=context)


def kind_get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(
            f"Unknown kind of message {name!r}: register it (kind_register)"
        ) from None


def kind_registered(name: str) -> bool:
    return name in _KINDS
