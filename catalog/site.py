"""The Django `Site` follows the portal's settings, so every absolute link agrees.

Links in e-mails use DIGITAIX_SITE_URL; the sitemap (django.contrib.sitemaps) uses the
current `Site`. After each `migrate`, the Site's domain and name are set from
DIGITAIX_SITE_URL and DIGITAIX_TOWN_NAME, so both point at the same address.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url_parts() -> tuple[str, str]:
    """(scheme, domain) of DIGITAIX_SITE_URL, e.g. ("https", "portail.example.fr")."""
    parts = urlsplit(settings.DIGITAIX_SITE_URL)
    return parts.scheme or "https", parts.netloc


def site_sync(using="default", **kwargs) -> None:
    """post_migrate receiver: write the Site's domain and name (a no-op when they match)."""
    from django.contrib.sites.models import Site

    _scheme, domain = site_url_parts()
    if not domain:
        return
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.OSCAR_SHOP_NAME}
    )
    Site.objects.clear_cache()
