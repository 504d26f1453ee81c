"""The public REST API's routes (/api/v1/), its OpenAPI 3 schema (/api/schema/) and its
offline docs (/api/docs/, Swagger UI from drf-spectacular-sidecar).

Each app's endpoints live in its `api.py` (shops/api.py...) over its own services and
selectors; who may call them is decided in shops/access.py (a shop's key); errors, throttle
and the key's schema in digitaix/api_policy.py.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from catalog import api as catalog_api
from digitaix.api_policy import api_not_found  # also registers the key's schema scheme
from orders import api as orders_api
from shops import api as shops_api

urlpatterns = [
    path("api/v1/shop/", shops_api.ShopView.as_view(), name="api-shop"),
    path("api/v1/offers/", shops_api.OfferListView.as_view(), name="api-offers"),
    path("api/v1/offers/<int:pk>/", shops_api.OfferDetailView.as_view(), name="api-offer"),
    path("api/v1/stock/", shops_api.StockView.as_view(), name="api-stock"),
    path("api/v1/shop-orders/", orders_api.ShopOrderListView.as_view(), name="api-shop-orders"),
    path(
        "api/v1/shop-orders/<str:number>/",
        orders_api.ShopOrderDetailView.as_view(),
        name="api-shop-order",
    ),
    path(
        "api/v1/shop-orders/<str:number>/transition/",
        orders_api.ShopOrderTransitionView.as_view(),
        name="api-shop-order-transition",
    ),
    path("api/v1/webhooks/", shops_api.WebhookListView.as_view(), name="api-webhooks"),
    path("api/v1/webhooks/<int:pk>/", shops_api.WebhookDetailView.as_view(), name="api-webhook"),
    path("api/v1/public/shops/", shops_api.PublicShopListView.as_view(), name="api-public-shops"),
    path(
        "api/v1/public/products/",
        catalog_api.PublicProductListView.as_view(),
        name="api-public-products",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Any other address under /api/ (an id that is no number...): a problem document, not
    # the site's HTML page.
    re_path(r"^api/", api_not_found),
]
