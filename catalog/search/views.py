"""Database-backed catalogue, category and search pages, replacing Oscar's haystack views.

Oscar's catalogue app loads `CatalogueView` and `ProductCategoryView` from here through
`get_class("search.views", ...)`, and the search app loads `FacetedSearchView`.
"""

from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from catalog import selectors
from catalog.cache import CachedCountPaginator, aggregate_cached
from catalog.pagecache import SharedPageMixin
from catalog.roles import sees_hidden_catalogue
from catalog.search.forms import SearchForm
from catalog.text import normalize

Category = get_model("catalogue", "Category")


class FilteredListMixin:
    """A list filtered by a GET `FilterForm`; a page past the end redirects to page one."""

    form_class = None

    def get(self, request, *args, **kwargs):
        self.form = self.form_class(request.GET or None)
        self.params = self.form.cleaned_or_default()
        self.prepare()
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return redirect_to_first_page(request)

    def prepare(self) -> None:
        """What the list needs once the filters are known."""


class BaseSearchView(SharedPageMixin, FilteredListMixin, ListView):
    """Products with a search box, sorting, category and shop facets, and pagination; the
    page is kept for every public visitor (catalog.pagecache)."""

    form_class = SearchForm
    context_object_name = "products"
    category = None
    summary = _("Tous les produits")

    def prepare(self) -> None:
        self.chosen_category = self._chosen_category()

    def get_paginate_by(self, queryset):
        return settings.OSCAR_PRODUCTS_PER_PAGE

    def get_paginator(self, *args, **kwargs):
        key = self.count_key()
        if not normalize(self.params["q"]):  # a plain list: its page query is an index scan
            return CachedCountPaginator(*args, count_key=key, **kwargs)
        return CachedCountPaginator(
            *args, count_key=key, page_key=(*key, self.params["sort_by"]),
            fetch=selectors.products_for_cards_in_order, **kwargs,
        )  # fmt: skip

    def count_key(self) -> tuple:
        """What the number of products listed depends on (not the sort)."""
        chosen = self.chosen_category or self.category
        return ("products", normalize(self.params["q"]), self.params["shop"], chosen and chosen.pk)

    def _chosen_category(self):
        """A narrower category chosen among the facets; on a category page, one of its own."""
        if not self.params["category"]:
            return None
        chosen = Category.objects.browsable().filter(pk=self.params["category"])
        if self.category is not None:
            chosen = chosen.filter(path__startswith=self.category.path)
        return chosen.first()

    def _scope(self, category):
        return category.get_descendants_and_self() if category is not None else None

    def get_queryset(self):
        products = selectors.products_search(
            query=self.params["q"],
            categories=self._scope(self.chosen_category or self.category),
            shop_id=self.params["shop"],
            sort=self.params["sort_by"],
        )
        return selectors.products_for_cards(products)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            form=self.form,
            params=self.params,
            query=self.params["q"],
            summary=self.summary,
            category=self.category,
            chosen_category=self.chosen_category,
            base_query=_query_without(self.request, "page"),
        )
        ctx.update(self._facets())
        return ctx

    def _facets(self) -> dict:
        """Category counts ignore the chosen category, shop counts the chosen shop."""
        query, shop = self.params["q"], self.params["shop"]
        chosen = self.chosen_category or self.category

        def compute() -> dict:
            in_page_scope = selectors.products_search(
                query=query, categories=self._scope(self.category), shop_id=shop
            )
            in_category = selectors.products_search(query=query, categories=self._scope(chosen))
            return {
                "category_facets": selectors.category_facets(
                    products=in_page_scope, parent=self.category
                ),
                "shop_facets": selectors.shop_facets(products=in_category),
            }

        key = (
            "facets",
            normalize(query),
            shop,
            getattr(self.category, "pk", None),
            chosen and chosen.pk,
        )
        return aggregate_cached(key, compute)


def redirect_to_first_page(request):
    """A page number past the end (or not a number): say so and show page one."""
    messages.error(request, _("Cette page n'existe pas : voici la première."))
    rest = _query_without(request, "page")
    return redirect(f"{request.path}?{rest}" if rest else request.path)


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


class CatalogueView(BaseSearchView):
    template_name = "oscar/catalogue/browse.html"


class ProductCategoryView(BaseSearchView):
    template_name = "oscar/catalogue/category.html"

    def page_get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or sees_hidden_catalogue(request.user)):
            raise Http404
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        self.summary = self.category.name
        return super().page_get(request, *args, **kwargs)


class FacetedSearchView(BaseSearchView):
    """/search/?q=: the shops and categories the words name first (on the first page, with no
    filter chosen), then the products; with no product, those suggestions instead."""

    template_name = "oscar/search/results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.params["q"]
        first_page = ctx["page_obj"] is None or ctx["page_obj"].number == 1
        if normalize(query) and first_page and not (self.params["shop"] or self.chosen_category):
            ctx["shops_found"] = import_string(settings.DIGITAIX_SHOP_SEARCH)(query=query)
            ctx["categories_found"] = selectors.categories_search(query=query)
        if not ctx["products"]:
            ctx["suggested_categories"] = aggregate_cached(
                ("menu-categories",), selectors.menu_categories
            )
        return ctx

    def get(self, request, *args, **kwargs):
        user_search.send(
            sender=self,
            session=request.session,
            user=request.user,
            query=request.GET.get("q", ""),
        )
        return super().get(request, *args, **kwargs)


SUGGESTED_SHOPS = 3
SUGGESTED_CATEGORIES = 3
SUGGESTED_PRODUCTS = 6
SUGGEST_MIN_LENGTH = 2


def suggestions(request):
    """The type-ahead of the header's search box: the shops, categories and products the words
    name, as JSON ({"query", "shops", "categories", "products"}, each [{label, meta, url}]).
    The same matching as the results page; fewer than 2 letters answers empty lists. Kept per
    normalised query and catalogue version (catalog.cache): residents type the same first
    letters, and a product put on sale shows in the suggestions at once."""
    query = request.GET.get("q", "")[:200]
    key = normalize(query)
    if len(key) < SUGGEST_MIN_LENGTH:
        found = {"shops": [], "categories": [], "products": []}
    else:
        found = aggregate_cached(("suggestions", key), lambda: _suggestions(query))
    response = JsonResponse({"query": query, **found})
    response["Cache-Control"] = "public, max-age=60"
    return response


def _suggestions(query: str) -> dict:
    shops = import_string(settings.DIGITAIX_SHOP_SEARCH)(query=query, limit=SUGGESTED_SHOPS)
    categories = selectors.categories_search(query=query, limit=SUGGESTED_CATEGORIES)
    return {
        "shops": [
            {
                "label": shop.name,
                "meta": str(shop.get_trade_display()),
                "url": reverse("shops:storefront", kwargs={"slug": shop.code}),
            }
            for shop in shops
        ],
        "categories": [
            {"label": c.name, "meta": "", "url": c.get_absolute_url()} for c in categories
        ],
        "products": selectors.product_suggestions(query=query, limit=SUGGESTED_PRODUCTS),
    }
