"""Public pages about shops: the home page, the shop directory and each shop's storefront."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from catalog import selectors as catalog_selectors
from catalog.cache import aggregate_cached
from catalog.pagecache import SharedPageMixin
from catalog.search.forms import SearchForm
from catalog.search.views import BaseSearchView, FilteredListMixin
from catalog.structured_data import breadcrumbs_ld, open_graph
from catalog.text import normalize
from shops import access, hours, selectors, structured_data
from shops.forms import ShopDirectoryForm


class HomeView(SharedPageMixin, TemplateView):
    template_name = "digitaix/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        latest = catalog_selectors.products_on_sale().order_by("-date_created", "-pk")[:8]
        ctx["latest_products"] = list(catalog_selectors.products_for_cards(latest))
        ctx.update(aggregate_cached(("home",), _home_figures))
        ctx["og"] = open_graph(
            kind="website", title=settings.OSCAR_SHOP_NAME,
            description=settings.OSCAR_SHOP_TAGLINE, path=reverse("home"),
        )  # fmt: skip
        return ctx


def _home_figures() -> dict:
    """The portal-wide figures of the home page, the same for every visitor."""
    return {
        "counters": selectors.portal_counters(),
        "featured_shops": selectors.shops_featured(),
        "categories": catalog_selectors.category_facets(
            products=catalog_selectors.products_on_sale()
        ),
    }


class OpenNowPageMixin:
    """A kept page that says whether shops are open (catalog.pagecache): kept for the minute,
    and `self.now` is that moment for the whole page."""

    def page_key(self) -> tuple:
        self.now = hours.local_now()
        return (*super().page_key(), self.now.strftime("%Y-%m-%d %H:%M"))


class ShopDirectoryView(OpenNowPageMixin, SharedPageMixin, FilteredListMixin, ListView):
    """/boutiques/: live shops, filtered by trade, name, opening and services (kept for every
    public visitor for the minute: it says which shops are open)."""

    template_name = "digitaix/shops/directory.html"
    context_object_name = "shops"

    form_class = ShopDirectoryForm

    def get_paginate_by(self, queryset):
        return settings.DIGITAIX_SHOPS_PER_PAGE

    def get_queryset(self):
        p = self.params
        return selectors.shops_directory(
            query=p["q"],
            trade=p["trade"],
            open_now=p["open_now"],
            click_collect=p["click_collect"],
            delivery=p["delivery"],
            when=self.now,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        selectors.shops_product_counts_attach(ctx["shops"])
        for shop in ctx["shops"]:
            shop.opening = hours.opening_status(
                shop.opening_hours.all(), shop.closing_periods.all(), self.now
            )
        filtered = any(self.params.values())
        ctx.update(form=self.form, params=self.params, filtered=filtered)
        ctx["search_form"] = SearchForm()  # the header's product search: `q` is a shop name here
        return ctx


class StorefrontView(OpenNowPageMixin, BaseSearchView):
    """/boutiques/<slug>/: a live shop's profile, hours and its products (search, sort, facets).

    Only live shops have a storefront; staff may look at any shop's. Kept for every public
    visitor for the minute: it says whether the shop is open.
    """

    template_name = "digitaix/shops/storefront.html"

    def page_get(self, request, *args, **kwargs):
        # Looked up before the list's own 404 handling, which turns a bad page into a redirect.
        hidden = access.sees_hidden_shops(request.user)
        shops = selectors.shops_for_storefront(include_hidden=hidden)
        self.shop = get_object_or_404(shops, code=kwargs["slug"])
        self.summary = self.shop.name
        return super().page_get(request, *args, **kwargs)

    def count_key(self) -> tuple:
        chosen = getattr(self.chosen_category, "pk", None)
        return ("storefront", self.shop.pk, normalize(self.params["q"]), chosen)

    def get_queryset(self):
        self.params["shop"] = None  # the shop is the page's, not a filter to remove
        products = catalog_selectors.products_search(
            query=self.params["q"],
            categories=self._scope(self.chosen_category),
            shop_id=self.shop.pk,
            sort=self.params["sort_by"],
        )
        return catalog_selectors.products_for_cards(products)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        now = self.now
        opening_hours = self.shop.opening_hours.all()
        closing_periods = self.shop.closing_periods.all()
        ctx.update(
            shop=self.shop,
            opening=hours.opening_status(opening_hours, closing_periods, now),
            week=hours.week_schedule(opening_hours, now),
            closures=hours.upcoming_closures(closing_periods, now),
            # The header searches every shop: it does not take over the in-shop search.
            search_form=SearchForm(),
        )
        path = reverse("shops:storefront", kwargs={"slug": self.shop.code})
        ctx["json_ld"] = [
            structured_data.shop_ld(
                shop=self.shop, path=path, opening_hours=opening_hours,
                closures=closing_periods, today=now.date(),
            ),
            breadcrumbs_ld([
                (_("Accueil"), reverse("home")), (_("Boutiques"), reverse("shops:directory")),
                (self.shop.name, path),
            ]),
        ]  # fmt: skip
        ctx["og"] = open_graph(
            kind="business.business", title=self.shop.name,
            description=self.shop.description or self.shop.get_trade_display(), path=path,
            image=structured_data.shop_image(self.shop),
        )  # fmt: skip
        return ctx

    def _facets(self) -> dict:
        """The shop's own categories (ignoring the chosen one); no shop facet on its own page."""
        query, shop_id = self.params["q"], self.shop.pk

        def compute() -> dict:
            products = catalog_selectors.products_search(query=query, shop_id=shop_id)
            return {
                "category_facets": catalog_selectors.category_facets(products=products),
                "shop_facets": [],
            }

        return aggregate_cached(("storefront-facets", shop_id, normalize(query)), compute)


class ShopTermsView(TemplateView):
    """/boutiques/<slug>/conditions-de-vente/: who sells (name, address, SIRET, contact) and
    on what terms: the shop's own, or else the portal's general terms."""

    template_name = "digitaix/shops/terms.html"

    def get_context_data(self, **kwargs):
        shops = selectors.shops_for_storefront(
            include_hidden=access.sees_hidden_shops(self.request.user)
        )
        shop = get_object_or_404(shops, code=kwargs["slug"])
        return super().get_context_data(shop=shop, **kwargs)
