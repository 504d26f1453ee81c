"""Mounted at /ma-boutique/ (digitaix/urls.py), before the space's `<slug>/` pages: the
service worker's URL decides its scope, so it must sit at the top of the merchant space."""

from django.urls import path

from digitaix.webapp import views

app_name = "merchant-app"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
    path(
        "notifications/abonnement/",
        views.PushSubscribeView.as_view(),
        name="push-subscribe",
    ),
    path(
        "notifications/desabonnement/",
        views.PushUnsubscribeView.as_view(),
        name="push-unsubscribe",
    ),
]
