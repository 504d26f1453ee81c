"""Oscar's public review pages (mapped over "catalogue.reviews.views"): a review is public only
once approved. Oscar's detail page shows any review by its id, held or refused ones too."""

from oscar.apps.catalogue.reviews import views as oscar_views


class ProductReviewDetail(oscar_views.ProductReviewDetail):
    def get_queryset(self):
        return super().get_queryset().approved().filter(product_id=self.kwargs["product_pk"])
