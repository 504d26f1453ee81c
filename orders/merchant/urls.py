"""The merchant's shop orders, mounted at /ma-boutique/: each screen names one of their shops
(`<code>/commandes/...`); the older paths without a shop lead to the right one."""

from django.urls import path

from orders.merchant import views

app_name = "shop-orders"

urlpatterns = [
    path("commandes/", views.OrdersHomeView.as_view(), name="index"),
    path("commandes/<str:number>/", views.OrderMovedView.as_view(), name="moved"),
    path("<slug:slug>/commandes/", views.ShopOrderListView.as_view(), name="list"),
    path("<slug:slug>/commandes/retraits/", views.PickupListView.as_view(), name="pickups"),
    path("<slug:slug>/commandes/<str:number>/", views.ShopOrderDetailView.as_view(), name="detail"),
    path("<slug:slug>/commandes/<str:number>/bon/", views.ShopOrderSlipView.as_view(), name="slip"),
]
