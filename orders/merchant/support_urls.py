"""Every shop's shop orders for the town's staff, read-only, under
/dashboard/moderation/commandes/."""

from django.urls import path

from orders.merchant import views

app_name = "shop-orders-support"

urlpatterns = [
    path("", views.ShopOrderSupportListView.as_view(), name="list"),
    path("<str:number>/", views.ShopOrderSupportDetailView.as_view(), name="detail"),
]
