from django.urls import path
from django.views.generic import RedirectView

from digitaix.privacy import views

app_name = "privacy"

urlpatterns = [
    path("accounts/mes-donnees/", views.DataView.as_view(), name="data"),
    path(
        "accounts/mes-donnees/telecharger.json",
        views.DataDownloadView.as_view(fmt="json"),
        name="download-json",
    ),  # fmt: skip
    path(
        "accounts/mes-donnees/telecharger.zip",
        views.DataDownloadView.as_view(fmt="csv"),
        name="download-csv",
    ),  # fmt: skip
    # Oscar's "delete profile" would keep the orders' names and addresses: it leads here.
    path(
        "accounts/profile/delete/",
        RedirectView.as_view(pattern_name="privacy:data"),
        name="oscar-profile-delete",
    ),
]
