"""`{% load spaces %}`: the spaces' menus (registered in TEMPLATES' libraries, as `digitaix`
is not an app with a templatetags package)."""

from django import template
from django.urls import NoReverseMatch, reverse

from digitaix.spaces.menus import MERCHANT_MENU, STAFF_MENU, Entry

register = template.Library()


def _is_current(entry: Entry, view_name: str) -> bool:
    """The entry's own page, or one whose URL name starts with one of its prefixes."""
    return view_name == entry.url_name or any(view_name.startswith(p) for p in entry.current)


@register.simple_tag(takes_context=True)
def space_menu(context, space: str, shop=None) -> list[dict]:
    """The menu of `space` ("merchant" or "staff") as links: label, url, current."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    entries = MERCHANT_MENU if space == "merchant" else STAFF_MENU
    links = []
    for entry in entries:
        if entry.per_shop and shop is None:
            continue
        try:
            url = reverse(entry.url_name, args=[shop.code] if entry.per_shop else [])
        except NoReverseMatch:
            continue
        links.append({"label": entry.label, "url": url, "current": _is_current(entry, view_name)})
    return links


@register.simple_tag(takes_context=True)
def space_roles(context) -> dict:
    """Which spaces the signed-in user may open (for the link from one to the other)."""
    from shops.access import is_commerce_staff, is_merchant

    user = context["request"].user
    return {"merchant": is_merchant(user), "staff": is_commerce_staff(user)}
