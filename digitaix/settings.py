"""Digitaix settings: one file, every knob an environment variable with a safe default.

With no variable set the app runs on embedded defaults (SQLite, eager Celery, console
e-mail, pay at pickup); see `.env.example` for the production knobs.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403 - Oscar's documented way to load its defaults

from digitaix import navigation

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-dev-key-change-me-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "orders.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shops.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "orders.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "catalog.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # Oscar's third-party dependencies. Haystack is left out on purpose: the
    # catalogue is searched in the database (see catalog/search/).
    "widget_tweaks",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    "delivery.apps.DeliveryConfig",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "digitaix.middleware.FrenchFirstLocaleMiddleware",
    # NUL bytes, non-UTF-8 text and oversized bodies: a French 400/413 before any view reads.
    "digitaix.bad_input.BadInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

ROOT_URLCONF = "digitaix.urls"
WSGI_APPLICATION = "digitaix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalog.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# No DATABASE_URL: a SQLite file next to manage.py. DATABASE_URL=postgres://… for production.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Cache --------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://digitaix")}
# How long facet counts and the home page's figures may be served from the cache (seconds).
# They aggregate the whole catalogue, the costliest queries of a page; 0 turns caching off.
DIGITAIX_AGGREGATES_CACHE_SECONDS = env.int("DIGITAIX_AGGREGATES_CACHE_SECONDS", default=120)

AUTHENTICATION_BACKENDS = (
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

# --- Language, time, money ----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "digitaix" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Never group digits implicitly: ids in hidden inputs, data attributes and URLs would become
# "1 922" past a thousand rows. Figures meant for reading use |intcomma (grouped either way).
USE_THOUSAND_SEPARATOR = False

OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_CURRENCY_FORMAT = {"EUR": {"currency_digits": True, "format_type": "standard"}}
OSCAR_SHOP_NAME = env.str("DIGITAIX_TOWN_NAME", default="Digitaix")
OSCAR_SHOP_TAGLINE = _("Les commerces de la ville, en ligne")
OSCAR_HOMEPAGE = "/"
# The portal's public address, for the links in e-mails (no trailing slash).
DIGITAIX_SITE_URL = env.str("DIGITAIX_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
OSCAR_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portail@digitaix.localhost")
OSCAR_PRODUCTS_PER_PAGE = 24
# An order's status follows from its shops' orders (orders/workflow.py): Oscar's dashboard lists
# these for filtering, and the empty pipelines keep anyone from setting one by hand.
OSCAR_INITIAL_ORDER_STATUS = "Nouvelle"
OSCAR_ORDER_STATUS_PIPELINE = {"Nouvelle": (), "En cours": (), "Terminée": (), "Annulée": ()}
# Shops per page of the /boutiques/ directory.
DIGITAIX_SHOPS_PER_PAGE = env.int("DIGITAIX_SHOPS_PER_PAGE", default=24)
OSCAR_ALLOW_ANON_CHECKOUT = True
# Our overrides of Oscar's dashboard classes live beside the app that owns them (see
# digitaix/loading.py): Oscar module label -> our module holding the replacement classes.
OSCAR_DYNAMIC_CLASS_LOADER = "digitaix.loading.class_loader"
DIGITAIX_CLASS_OVERRIDES = {
    "dashboard.views": "shops.dashboard.index",
    "dashboard.orders.views": "orders.dashboard",
    "dashboard.catalogue.forms": "catalog.dashboard_forms",
    "dashboard.catalogue.widgets": "catalog.dashboard_widgets",
    "dashboard.catalogue.views": "shops.dashboard.products",
    "customer.views": "orders.customer",
    "dashboard.reports.reports": "catalog.dashboard_reports",
    # E-mail fields capped at 254 characters, the database's column (catalog/fields.py).
    "customer.forms": "orders.customer_forms",
    "catalogue.reviews.forms": "catalog.reviews_forms",
    # An empty quantity in the basket is an error, not a removal (shops/basket_forms.py).
    "basket.forms": "shops.basket_forms",
    # An order note is bounded (orders/dashboard_forms.py).
    "dashboard.orders.forms": "orders.dashboard_forms",
}
OSCAR_DASHBOARD_NAVIGATION = navigation.OSCAR_DASHBOARD_NAVIGATION
# Slots, delivery zones and fees for the checkout (orders may not import delivery: see
# orders/fulfilment.py). Not an environment variable: it is how the apps are wired.
DIGITAIX_FULFILMENT_PROVIDER = "delivery.fulfilment.DeliveryProvider"
# The console's figures a daily snapshot keeps (shops may not import orders, whose shop
# orders say which shops sell: see shops/services/portal.py). Wiring, not an environment knob.
DIGITAIX_PORTAL_FIGURES = "delivery.console.selectors.portal_figures"
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "postcode", "country")

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Serve media through Django only when asked (make run, tests); nginx or a bucket in production.
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=DEBUG)
THUMBNAIL_DEBUG = False

# Largest request body accepted, in MB (every upload of a form together): refused from its
# Content-Length before a byte is read (digitaix/bad_input.py). The proxy's body limit must
# be the same. Each file has its own, smaller limit (photos 10 MB, CSV 5 MB).
DIGITAIX_MAX_UPLOAD_MB = env.int("DIGITAIX_MAX_UPLOAD_MB", default=20)
# Largest body outside files (form fields), in bytes: Django's default, stated. Beyond it a
# French 413 page, like an oversized upload.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------
# No broker configured: tasks run eagerly, in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# max_retries 0: a message handed over while the broker is down fails at once (no 2 s of
# reconnection attempts in the request); the order e-mails are then sent by the outbox relay.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 0}
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs, each with a comment saying why it exists.
CELERY_BEAT_SCHEDULE: dict = {
    # Order e-mails still unsent (Redis was down when the order committed, or a worker died
    # before sending): hand them over again. Sending is idempotent, so a late duplicate is
    # harmless.
    "orders-relay-outbox": {"task": "orders.tasks.relay_outbox", "schedule": 60.0},
    # A card payment abandoned on Stripe's page holds the shops' stock: give it back after 1 h
    # even if Stripe's `checkout.session.expired` webhook never reaches us.
    "expire-stale-checkouts": {"task": "orders.tasks.expire_stale_checkouts", "schedule": 900},
    # Shops paid by card before connecting their Stripe account get their transfers once
    # connected (also triggered by `account.updated`); this catches a missed webhook, and
    # settles the finished card-paid shop orders whose settlement Redis never received.
    "retry-pending-payouts": {"task": "orders.tasks.retry_pending_payouts", "schedule": 3600},
    # Delivery: at each delivery slot's cut-off (2 h before it starts), build its couriers'
    # rounds from the shop orders ready by then. Each slot is built once; checked every 5 min.
    "delivery-build-rounds": {"task": "delivery.tasks.build_due_rounds", "schedule": 300},
    # The portal's figures (live shops, shops selling, products online) kept once a day for
    # the town's console charts; late in the evening, town time, so the row is the day's
    # close. Taking it twice the same day updates the row.
    "take-portal-snapshot": {
        "task": "shops.tasks.take_portal_snapshot",
        "schedule": crontab(hour=23, minute=55),
    },
}
# Seconds to wait for the broker before giving up on a hand-over: a checkout never waits
# longer than this on a Redis outage (the outbox relay sends the message later).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)

# Where couriers' rounds start (latitude, longitude): the town's delivery base. The default
# is the centre of Aix-les-Bains, the demo town.
DIGITAIX_DELIVERY_DEPOT = tuple(
    env.list("DIGITAIX_DELIVERY_DEPOT", cast=float, default=[45.6885, 5.9153])
)

# --- Payments -----------------------------------------------------------------------------
# No secret key: residents pay at pickup or delivery (the embedded default). With one, the
# whole basket is paid through Stripe Checkout and each shop paid by a Connect transfer.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# The town's share of each shop's sales, between 0 and 1 (shown to the merchant on each order).
DIGITAIX_COMMISSION_RATE = env.str("DIGITAIX_COMMISSION_RATE", default="0.05")

# --- Geocoding (delivery rounds) ----------------------------------------------------------
# Turns delivery addresses into points for planning rounds (delivery/geocoding.py). The default
# needs no network (postcode centres of the town and around, plus a stable offset per street);
# "delivery.geocoding.BanGeocoder" asks the national address API and caches its answers.
DIGITAIX_GEOCODER = env.str("DIGITAIX_GEOCODER", default="delivery.geocoding.OfflineGeocoder")
# The national address API's search endpoint (Base Adresse Nationale), used by BanGeocoder.
DIGITAIX_BAN_URL = env.str("DIGITAIX_BAN_URL", default="https://api-adresse.data.gouv.fr/search/")

# --- Security (production) ----------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}


# Adds the bare /bench/ceiling page that bench/run.sh compares every page with. Never in production.
DIGITAIX_BENCH = env.bool("DIGITAIX_BENCH", default=False)

# Oscar's stock search modules import haystack at load time even though we never use them
# (catalog/search/ replaces them with database search), so haystack needs a connection
# setting. The haystack app itself is not installed: nothing indexes, nothing is queried.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
