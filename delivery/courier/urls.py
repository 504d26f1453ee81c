"""The courier's page, under /livraison/."""

from django.urls import path

from delivery.courier import views

app_name = "courier"

urlpatterns = [
    path("", views.CourierHomeView.as_view(), name="home"),
    path("arrets/<int:pk>/", views.StopActionView.as_view(), name="stop-action"),
]
