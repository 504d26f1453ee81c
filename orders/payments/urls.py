"""The card payment's public URLs: Stripe's webhook and the resident's return from Stripe
(included by digitaix/urls.py before Oscar's, hence full paths). The merchant's payments
pages are in merchant_urls.py, mounted in the merchant's space."""

from django.urls import path

from orders.payments import views

app_name = "stripe"

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="webhook"),
    path("commande/paiement/retour/", views.CheckoutReturnView.as_view(), name="checkout-return"),
]
