"""The spaces' homes (namespace "space"); each screen's own URLs live in its app and are
mounted under the same prefixes by digitaix/urls.py."""

from django.urls import path

from digitaix.spaces import views
from digitaix.spaces.search_words import SearchWordsView

app_name = "space"

urlpatterns = [
    path("espace/", views.landing, name="landing"),
    path("ma-boutique/", views.MerchantHomeView.as_view(), name="merchant-home"),
    path("gestion/", views.StaffHomeView.as_view(), name="staff-home"),
    path("gestion/recherche/", SearchWordsView.as_view(), name="search-words"),
    # Mounted after every app's /ma-boutique/<word>/ paths, which it would otherwise shadow.
    path("ma-boutique/<slug:slug>/", views.TodayView.as_view(), name="today"),
    path("ma-boutique/<slug:slug>/nouveautes/", views.TodayPollView.as_view(), name="today-poll"),
]
