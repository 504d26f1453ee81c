from django.urls import path

from accounts import twofactor_views, verification_views

app_name = "accounts"

urlpatterns = [
    path(
        "double-authentification/", twofactor_views.SecondFactorView.as_view(), name="second-factor"
    ),
    path("double-authentification/configurer/", twofactor_views.SetupView.as_view(), name="setup"),
    path("verifier/", verification_views.CheckMailboxView.as_view(), name="check-mailbox"),
    path(
        "verifier/<str:token>/", verification_views.VerifyEmailView.as_view(), name="verify-email"
    ),
]
