"""The merchant's payments pages, mounted at /ma-boutique/paiements/: how each of their shops
is paid, and connecting its Stripe account."""

from django.urls import path

from orders.payments import views

app_name = "payments"

urlpatterns = [
    path("", views.PaymentsView.as_view(), name="index"),
    path("<slug:slug>/connecter/", views.ConnectView.as_view(), name="connect"),
    path("<slug:slug>/retour/", views.ConnectReturnView.as_view(), name="return"),
]
