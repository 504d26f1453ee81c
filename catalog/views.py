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
    """Everything the page shows is loaded with the product (`selectors.product_for_page`):
    fewer queries than Oscar's own page, which asks again for the offers, photos and
    categories as the template reads them."""

    def get_queryset(self):
        return selectors.product_for_page()

    def is_viewable(self, product, request):
        """The town's staff see every product; the public only those a live shop offers (a
        browsable product with a public offer, as `products_on_sale`: read from the offers
        loaded with it)."""
        if sees_hidden_catalogue(request.user):
            return True
        browsable = product.is_public and product.parent_id is None
        return browsable and bool(product.stockrecords.all())

    def get_alert_status(self):
        return False  # no stock alerts on this portal (its page has no alert form)

    def get_alert_form(self):
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["offers"] = list(self.object.stockrecords.all())
        product, path = self.object, self.request.path
        image = _image_path(product)
        category = next(iter(product.get_categories()), None)
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
