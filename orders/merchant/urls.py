"""The merchant's shop orders, under /dashboard/commandes-boutique/."""

from django.urls import path

from orders.merchant import views

app_name = "shop-orders"

urlpatterns = [
    path("", views.ShopOrderListView.as_view(), name="list"),
    path("<str:number>/", views.ShopOrderDetailView.as_view(), name="detail"),
]
