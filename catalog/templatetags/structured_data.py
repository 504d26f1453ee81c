"""`{{ data|json_ld }}`: a schema.org object as the body of a JSON-LD block, which the template
writes with the page's CSP nonce (see catalog.structured_data)."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    escaped = text.translate(_json_script_escapes)  # <, > and & as \u003C…: no tag can close
    return mark_safe(escaped)  # noqa: S308 - JSON with every <, > and & escaped, as json_script does
