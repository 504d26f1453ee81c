"""Public pages about shops. The home page presents the whole portal."""

from django.views.generic import TemplateView

from catalog import selectors as catalog_selectors
from catalog.cache import aggregate_cached
from shops import selectors


class HomeView(TemplateView):
    template_name = "digitaix/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        latest = catalog_selectors.products_on_sale().order_by("-date_created", "-pk")[:8]
        ctx["latest_products"] = list(catalog_selectors.products_for_cards(latest))
        ctx.update(aggregate_cached(("home",), _home_figures))
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
