"""`{{ basket|delivering_shops }}`: the names of the basket's shops that deliver at home."""

from django import template

register = template.Library()


@register.filter
def delivering_shops(basket) -> list[str]:
    names = {
        line.stockrecord.partner.name
        for line in basket.all_lines()
        if line.stockrecord and line.stockrecord.partner.offers_delivery
    }
    return sorted(names)
