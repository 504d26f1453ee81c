"""`{{ value|rich_text }}`: the only way a template prints user HTML unescaped.

The value was already cleaned when stored (catalog.fields.RichTextField); cleaning it again
here costs microseconds and keeps a row written around the field (raw SQL, an old backup)
from ever reaching a page as code. Text a user typed is never trusted any other way.
"""

from django import template
from django.utils.safestring import SafeString

from catalog.text import rich_text_html, rich_text_plain

register = template.Library()


@register.filter(is_safe=True)
def rich_text(value) -> SafeString:
    return rich_text_html(str(value) if value is not None else "")


@register.filter(is_safe=True)
def rich_text_page(value) -> SafeString:
    """A page of its own (legal notice, terms...): the same sanitiser, headings kept."""
    return rich_text_html(str(value) if value is not None else "", headings=True)


@register.filter
def rich_text_as_text(value) -> str:
    """Rich text without its tags, for a summary: plain text, escaped like any other."""
    return rich_text_plain(str(value) if value is not None else "")
