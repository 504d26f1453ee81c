"""`{% menu_categories as nav_categories %}`: the menu's categories (never an empty one),
computed once per DIGITAIX_AGGREGATES_CACHE_SECONDS for every visitor."""

from django import template

from catalog.cache import aggregate_cached
from catalog.selectors import menu_categories as categories_with_products

register = template.Library()


@register.simple_tag
def menu_categories() -> list[dict]:
    return aggregate_cached(("menu-categories",), categories_with_products)
