"""`{{ value|rich_text }}`: the only way a template prints user HTML unescaped.

The value was already cleaned when stored (catalog.fields.RichTextField); cleaning it again
here costs microseconds and keeps a row written around the field (raw SQL, an old backup)
from ever reaching a page as code. Never use `|safe` on text a user typed.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from catalog.text import rich_text_clean, rich_text_plain

register = template.Library()


@register.filter(is_safe=True)
def rich_text(value) -> SafeString:
    return mark_safe(rich_text_clean(str(value) if value is not None else ""))  # cleaned just now


@register.filter
def rich_text_as_text(value) -> str:
    """Rich text without its tags, for a summary: plain text, escaped like any other."""
    return rich_text_plain(str(value) if value is not None else "")
