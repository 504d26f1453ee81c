"""The town's console, under /dashboard/portail/ (commerce staff only)."""

from django.urls import path

from digitaix.console.views import ConsoleView

app_name = "console"

urlpatterns = [
    path("", ConsoleView.as_view(), name="index"),
]
