"""`{% delivery_terms as terms %}`: the town's delivery fee and minimum order (their range when
zones differ), cached with the other aggregates and read once per request (a page of shop
cards asks once); empty when no zone delivers."""

from django import template

from catalog.cache import aggregate_cached
from delivery.selectors import delivery_terms as terms_of_zones

register = template.Library()


@register.simple_tag(takes_context=True)
def delivery_terms(context) -> dict:
    request = context.get("request")
    terms = getattr(request, "_digitaix_delivery_terms", None)
    if terms is None:
        terms = aggregate_cached(("delivery-terms",), terms_of_zones)
        if request is not None:
            request._digitaix_delivery_terms = terms
    return terms
