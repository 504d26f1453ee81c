"""What the merchant space's push toggle needs to know: is push on, and with which key."""

from django import template
from django.conf import settings

from messaging.push import push_enabled

register = template.Library()


@register.simple_tag
def webpush_public_key() -> str:
    """The portal's VAPID public key (the browser's `applicationServerKey`), "" when push is
    off: the toggle then says so instead of offering a button."""
    return settings.WEBPUSH_VAPID_PUBLIC_KEY if push_enabled() else ""
