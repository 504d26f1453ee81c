from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.static import serve

from accounts.views import PasswordResetView
from catalog.sitemaps import CategorySitemap, ProductSitemap
from digitaix.health import healthz
from shops.access import is_superuser
from shops.dashboard.signup import MerchantSignupView
from shops.invitation_views import TeamInvitationView
from shops.sitemaps import PagesSitemap, ShopSitemap
from shops.views import HomeView

# Only what the public may see: live shops, and products a live shop offers on sale.
SITEMAPS = {
    "pages": PagesSitemap,
    "boutiques": ShopSitemap,
    "produits": ProductSitemap,
    "categories": CategorySitemap,
}

# Django's admin is the superuser's: `is_staff` alone (the town's staff) does not open it.
admin.site.has_permission = lambda request: is_superuser(request.user)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("admin/", admin.site.urls),
    path("", HomeView.as_view(), name="home"),
    path("boutiques/", include("shops.urls")),
    path("commercants/inscription/", MerchantSignupView.as_view(), name="merchant-signup"),
    path("invitation-equipe/<str:token>/", TeamInvitationView.as_view(), name="team-invitation"),
    # The old dashboard paths lead to the same screens in the spaces below.
    path("", include("digitaix.spaces.redirects")),
    # The merchant space as an installable app (manifest, service worker, push subscriptions).
    path("ma-boutique/", include("digitaix.webapp.urls")),
    # The merchant's space: each app's screens for one shop, then the shop's day.
    path("ma-boutique/", include("orders.merchant.urls")),
    path("ma-boutique/paiements/", include("orders.payments.merchant_urls")),
    path("ma-boutique/", include("shops.dashboard.urls")),
    # The town staff's space.
    path("gestion/commandes/", include("orders.merchant.support_urls")),
    path("gestion/moderation/", include("shops.dashboard.moderation_urls")),
    path("gestion/livraison/", include("delivery.board.urls")),
    path("gestion/chiffres/", include("digitaix.console.urls")),
    # Reviews: a merchant's products' and, for the town staff, every product's.
    path("moderation-avis/", include("shops.dashboard.reviews_urls")),
    path("livraison/", include("delivery.courier.urls")),
    # The spaces' homes (/espace/, /ma-boutique/, /gestion/) and the shop's day.
    path("", include("digitaix.spaces.urls")),
    # The public REST API (/api/v1/), its schema and docs (digitaix/api.py).
    path("", include("digitaix.api")),
    # Card payment: Stripe's webhook, the return from Stripe.
    path("", include("orders.payments.urls")),
    path("comptes/", include("accounts.urls")),
    # The legal pages, the contact form and their editor (/gestion/pages/); the resident's
    # data (before Oscar's /accounts/, whose "delete profile" it replaces).
    path("", include("digitaix.legal.urls")),
    path("", include("digitaix.privacy.urls")),
    # Oscar's password reset, rate-limited (before Oscar's own URL of the same path).
    path("password-reset/", PasswordResetView.as_view(), name="password-reset"),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(
        0,
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    )

if settings.DIGITAIX_BENCH:
    from digitaix.bench import OscarProductView

    urlpatterns += [
        path("bench/ceiling", TemplateView.as_view(template_name="bench/ceiling.html")),
        path("bench/oscar-product/<int:pk>/", OscarProductView.as_view()),
    ]
