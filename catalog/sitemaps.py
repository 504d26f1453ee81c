"""Sitemap sections of the shared catalogue: only what the public may see.

A product is listed while a live shop offers it on sale (the same rule as the catalogue and
search pages, `selectors.products_on_sale`); a category while it is browsable.
"""

from django.contrib.sitemaps import Sitemap
from oscar.core.loading import get_model

from catalog import selectors
from catalog.site import site_url_parts

Category = get_model("catalogue", "Category")


class PortalSitemap(Sitemap):
    """A section whose URLs use the scheme of the portal's address (DIGITAIX_SITE_URL)."""

    @property
    def protocol(self):
        return site_url_parts()[0]


class ProductSitemap(PortalSitemap):
    changefreq = "daily"
    priority = 0.6
    limit = 5000  # URLs per page: a town ten times the reference one is about 9 pages

    def items(self):
        return selectors.products_on_sale().only("id", "slug", "date_updated").order_by("pk")

    def lastmod(self, product):
        return product.date_updated


class CategorySitemap(PortalSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Category.objects.browsable().order_by("path")
