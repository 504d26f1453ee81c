"""Sitemap sections of the shops: the public pages and the storefronts of live shops only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from shops import selectors


class PagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "shops:directory", "catalogue:index"]

    def location(self, name):
        return reverse(name)


class ShopSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return selectors.shops_online().only("id", "code").order_by("code")

    def location(self, shop):
        return reverse("shops:storefront", kwargs={"slug": shop.code})
