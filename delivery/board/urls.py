"""The staff's delivery board, under /dashboard/livraison/."""

from django.urls import path

from delivery.board import views

app_name = "delivery-board"

urlpatterns = [
    path("", views.BoardView.as_view(), name="index"),
    path("actions/", views.BoardActionView.as_view(), name="action"),
    path("tournees/<int:pk>/", views.RoundSheetView.as_view(), name="round"),
    path("livreurs/", views.CouriersView.as_view(), name="couriers"),
    path("livreurs/<int:pk>/", views.CourierEditView.as_view(), name="courier"),
]
