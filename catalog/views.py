"""Oscar's product page, with every shop's offer fetched in one query."""

from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_class

from catalog import selectors
from catalog.roles import sees_hidden_catalogue

# Oscar's catalogue app loads these two from here; they live in the forked search app.
CatalogueView = get_class("search.views", "CatalogueView")
ProductCategoryView = get_class("search.views", "ProductCategoryView")


class ProductDetailView(OscarProductDetailView):
    def is_viewable(self, product, request):
        """The town's staff see every product; the public only those a live shop offers."""
        if sees_hidden_catalogue(request.user):
            return True
        return selectors.products_on_sale().filter(pk=product.pk).exists()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["offers"] = selectors.product_offers(product=self.object)
        return ctx
