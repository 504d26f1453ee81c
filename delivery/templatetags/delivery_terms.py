"""`{% delivery_terms as terms %}`: the town's delivery fee and minimum order (their range when
zones differ), cached with the other aggregates and read once per request (a page of shop
cards asks once); empty when no zone delivers."""

from decimal import Decimal

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


@register.simple_tag(takes_context=True)
def delivery_gap(context, basket) -> dict:
    """`{% delivery_gap basket as gap %}`: the goods of the basket's delivering shops (which go
    in one drop when delivered in one slot) and what they lack to reach the town's lowest
    minimum order (`missing`, 0 when reached); {} when nothing delivers or no zone exists."""
    terms = delivery_terms(context)
    lines = [
        line
        for line in basket.all_lines()
        if line.stockrecord and line.stockrecord.partner.offers_delivery
    ]
    if not terms or not lines:
        return {}
    goods = sum((line.line_price_incl_tax_incl_discounts for line in lines), Decimal("0.00"))
    missing = max(Decimal("0.00"), terms["minimum_from"] - goods)
    return {"goods": goods, "missing": missing, **terms}
