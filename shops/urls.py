"""The public shop pages, under /boutiques/."""

from django.urls import path

from shops.basket_views import offer_add_to_basket
from shops.views import ShopDirectoryView, ShopTermsView, StorefrontView

app_name = "shops"

urlpatterns = [
    path("", ShopDirectoryView.as_view(), name="directory"),
    path("offres/<int:pk>/panier/", offer_add_to_basket, name="offer-add-to-basket"),
    # Oscar's `code` is a slug, but a str converter keeps `{% url %}` safe on any legacy code.
    path("<str:slug>/", StorefrontView.as_view(), name="storefront"),
    path("<str:slug>/conditions-de-vente/", ShopTermsView.as_view(), name="terms"),
]
