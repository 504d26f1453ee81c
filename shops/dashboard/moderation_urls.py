"""The town's moderation screens, under /gestion/moderation/ (commerce staff only)."""

from django.urls import path

from shops.dashboard import location, moderation

app_name = "moderation"

urlpatterns = [
    path("", moderation.ModerationQueueView.as_view(), name="queue"),
    path("boutiques/<int:pk>/", moderation.ShopModerationView.as_view(), name="shop"),
    path("boutiques/<int:pk>/position/", location.ShopLocationView.as_view(), name="shop-location"),
    path(
        "identite/<int:pk>/",
        moderation.IdentityChangeModerationView.as_view(),
        name="identity-change",
    ),
    path("journal/", moderation.ModerationLogView.as_view(), name="log"),
    path("produits/", moderation.ProductModerationListView.as_view(), name="products"),
    path("produits/<int:pk>/", moderation.ProductModerationView.as_view(), name="product"),
]
