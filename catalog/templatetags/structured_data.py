"""`{{ data|json_ld }}`: a schema.org object as the body of a JSON-LD block, which the template
writes with the page's CSP nonce (see catalog.structured_data; escaped by catalog.text)."""

from django import template
from django.utils.safestring import SafeString

from catalog.text import json_data_block

register = template.Library()


@register.filter(is_safe=True)
def json_ld(data: dict) -> SafeString:
    return json_data_block(data)
