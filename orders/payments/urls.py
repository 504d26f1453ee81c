"""The card payment's URLs (included by digitaix/urls.py before Oscar's, hence full paths)."""

from django.urls import path

from orders.payments import views

app_name = "payments"

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("commande/paiement/retour/", views.CheckoutReturnView.as_view(), name="checkout-return"),
    path("dashboard/paiements/", views.PaymentsView.as_view(), name="index"),
    path("dashboard/paiements/<slug:slug>/connecter/", views.ConnectView.as_view(), name="connect"),
    path(
        "dashboard/paiements/<slug:slug>/retour/",
        views.ConnectReturnView.as_view(),
        name="return",
    ),
]
