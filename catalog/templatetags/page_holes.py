"""`{% page_hole "template.html" %}`: a personal part of a page (account links, the basket's
count...), rendered on its own with the request, so the rest of a public list page can be
kept once for every visitor (catalog.pagecache)."""

from django import template

from catalog import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def page_hole(context, template_name: str) -> str:
    return pagecache.hole(context, template_name)
