"""Sitemap sections of the shops: the public pages and the storefronts of live shops only."""

from django.urls import reverse

from catalog.sitemaps import PortalSitemap
from shops import selectors


class PagesSitemap(PortalSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "shops:directory", "catalogue:index"]

    def location(self, name):
        return reverse(name)


class ShopSitemap(PortalSitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return selectors.shops_last_change(selectors.shops_online()).order_by("code")

    def location(self, shop):
        return reverse("shops:storefront", kwargs={"slug": shop.code})

    def lastmod(self, shop):
        return shop.last_change
