from django.urls import path

from accounts import twofactor_views

app_name = "accounts"

urlpatterns = [
    path("", twofactor_views.SecondFactorView.as_view(), name="second-factor"),
    path("configurer/", twofactor_views.SetupView.as_view(), name="setup"),
]
