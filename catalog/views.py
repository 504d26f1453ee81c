"""Oscar's product page, with every shop's offer fetched in one query."""

from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_class

from catalog import selectors, structured_data
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
        product, path = self.object, self.request.path
        image = _image_path(product)
        category = product.get_categories().first()
        crumbs = [(_("Accueil"), reverse("home")), (_("Produits"), reverse("catalogue:index"))]
        if category is not None:
            crumbs.append((category.name, category.get_absolute_url()))
        crumbs.append((product.get_title(), path))
        ctx["json_ld"] = [
            structured_data.product_ld(
                product=product, offers=ctx["offers"], path=path, image=image
            ),
            structured_data.breadcrumbs_ld(crumbs),
        ]
        ctx["og"] = structured_data.open_graph(
            kind="product", title=product.get_title(), description=product.description,
            path=path, image=image,
        )  # fmt: skip
        return ctx


def _image_path(product) -> str:
    """The product's first photo (its original's address), or "" when it has none."""
    image = product.primary_image()
    original = getattr(image, "original", None)
    return original.url if getattr(image, "pk", None) and original else ""
