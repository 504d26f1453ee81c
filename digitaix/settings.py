"""Digitaix settings: one file, every knob an environment variable with a safe default.

With no variable set the app runs on embedded defaults (SQLite, eager Celery, console
e-mail, pay at pickup); see `.env.example` for the production knobs.
"""

import datetime
from pathlib import Path

import environ
import oscar
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403 - Oscar's documented way to load its defaults

from digitaix import navigation

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The demo's key is public (it is in this file): only DEBUG (`make run`) may fall back on it.
# Without DEBUG the portal refuses to start rather than sign sessions with a known key.
DEMO_SECRET_KEY = "insecure-dev-key-change-me-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEMO_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY in ("", DEMO_SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is unset or is the public demo key: set a long random one "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or DJANGO_DEBUG=true "
        "on a development machine."
    )
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
    # The top of the house (console, seed_town, the demo): no model, a management command.
    "digitaix.apps.DigitaixConfig",
    "accounts.apps.AccountsConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "messaging.apps.MessagingConfig",
    "csp",
    # The public REST API (digitaix/api.py): DRF, its schema and the offline Swagger UI.
    "rest_framework",
    # Installed because its module defines a concrete key model besides the abstract one the
    # shops' keys subclass (shops/api_key_models.py); its own table stays empty.
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Static files: collectstatic's hashed names, cached by browsers for good (immutable), and
    # their gzip and Brotli copies made at collectstatic (CompressedManifestStaticFilesStorage).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped when the browser accepts it (a product page: 17 KB -> 4 KB). Below WhiteNoise,
    # whose files are compressed already. Django pads each answer with random bytes (BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # One read of the catalogue's version per request, for the cached aggregates (catalog.cache).
    "catalog.cache.CatalogueVersionMiddleware",
    "digitaix.middleware.FrenchFirstLocaleMiddleware",
    # NUL bytes, non-UTF-8 text and oversized bodies: a French 400/413 before any view reads.
    "digitaix.bad_input.BadInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff without a verified second factor reach only the pages that set it up or ask it.
    "accounts.middleware.SecondFactorMiddleware",
    # Oscar's dashboard screens: each role's own, never by is_staff alone (shops/access.py).
    "shops.access.OscarDashboardGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # Last: turns a locked-out login into accounts.lockout's 429 page.
    "axes.middleware.AxesMiddleware",
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
            # The spaces' menus (digitaix is not an app with a templatetags package).
            "libraries": {"spaces": "digitaix.spaces.templatetags"},
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
# How long a rendered product card is kept. Its key holds everything it shows (price, stock,
# shop, picture...), so a change shows at once whatever this is; 0 turns the cache off.
DIGITAIX_CARD_CACHE_SECONDS = env.int("DIGITAIX_CARD_CACHE_SECONDS", default=600)
# How long a whole public list page (home, catalogue, category, search, directory, storefront)
# is kept, with its personal parts filled in per visitor (catalog/pagecache.py). Its key holds
# the catalogue's version, so a change shows at once whatever this is; 0 turns it off.
DIGITAIX_PAGE_CACHE_SECONDS = env.int("DIGITAIX_PAGE_CACHE_SECONDS", default=300)

AUTHENTICATION_BACKENDS = (
    # First: refuses every attempt of a locked (account, address) pair, right password or not.
    "axes.backends.AxesStandaloneBackend",
    # Oscar's e-mail sign-in, costing the same for unknown addresses (no enumeration by time).
    "accounts.backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Each role lands in its own space (digitaix.spaces.views.landing).
LOGIN_REDIRECT_URL = "/espace/"

# --- Accounts: throttling (accounts/) -----------------------------------------------------
# How many proxies of ours append to X-Forwarded-For in front of Django (0: trust no header,
# the client is REMOTE_ADDR). Every throttle keys on the address this yields.
DIGITAIX_TRUSTED_PROXIES = env.int("DIGITAIX_TRUSTED_PROXIES", default=0)
# Failed logins for one account from one address before that pair is locked, and for how
# long (minutes); failures older than that are forgotten. Staff unlock in /admin/ (axes).
AXES_FAILURE_LIMIT = env.int("DIGITAIX_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env.int("DIGITAIX_LOGIN_LOCKOUT_MINUTES", default=15)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.clientip.client_ip"
AXES_USERNAME_CALLABLE = "accounts.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Never written to the attempts log in clear (Oscar's resident form prefixes its fields).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "login-password",
    "password1",
    "password2",
    "registration-password1",
]
AXES_SENSITIVE_PARAMETERS += ["registration-password2", "otp_token"]
# Staff, superusers and the role below sign in with a second factor (TOTP app + recovery
# codes, accounts/twofactor.py). Only `make run`'s demo turns it off.
DIGITAIX_STAFF_SECOND_FACTOR = env.bool("DIGITAIX_STAFF_SECOND_FACTOR", default=True)
# Who else needs one: the town's commerce staff, as shops/access.py decides (accounts may not
# import shops). Wiring, not an environment knob.
DIGITAIX_SECOND_FACTOR_ROLE = "shops.access.is_commerce_staff"
OTP_TOTP_ISSUER = OSCAR_SHOP_NAME
# How long an e-mail verification link stays valid, in days.
DIGITAIX_EMAIL_VERIFICATION_DAYS = env.int("DIGITAIX_EMAIL_VERIFICATION_DAYS", default=7)
# Public forms that write or send mail, "count/period" (s, m, h, d; "0/h" turns one off).
DIGITAIX_RATE_LIMITS = {
    "signup_ip": env.str("DIGITAIX_RATE_SIGNUP_IP", default="5/h"),
    "password_reset_ip": env.str("DIGITAIX_RATE_PASSWORD_RESET_IP", default="10/h"),
    "password_reset_email": env.str("DIGITAIX_RATE_PASSWORD_RESET_EMAIL", default="3/h"),
    "verification_email": env.str("DIGITAIX_RATE_VERIFICATION_EMAIL", default="3/h"),
    "invitation_shop": env.str("DIGITAIX_RATE_INVITATION_SHOP", default="20/d"),
    "contact_ip": env.str("DIGITAIX_RATE_CONTACT_IP", default="5/h"),
    "contact_email": env.str("DIGITAIX_RATE_CONTACT_EMAIL", default="3/h"),
}

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
# Oscar's wish lists do not fit a portal of many shops (a product has several offers): hidden,
# pages and links alike.
OSCAR_HIDDEN_FEATURES = ["wishlists"]
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
# Days an invitation to join a shop's team stays valid (an owner may send a fresh one).
DIGITAIX_TEAM_INVITATION_DAYS = env.int("DIGITAIX_TEAM_INVITATION_DAYS", default=7)
# The shop's day (/ma-boutique/<code>/): an offer with at most this many left is "low", and
# the open page asks for new orders every so many seconds.
DIGITAIX_LOW_STOCK_THRESHOLD = env.int("DIGITAIX_LOW_STOCK_THRESHOLD", default=3)
DIGITAIX_TODAY_POLL_SECONDS = env.int("DIGITAIX_TODAY_POLL_SECONDS", default=20)
OSCAR_ALLOW_ANON_CHECKOUT = True
# Reviews: signed-in residents only, published once the shop or the town's staff approve them
# (/dashboard/avis/). A policy, not an environment knob.
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_MODERATE_REVIEWS = True
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
    # Oscar's e-mails (password reset, registration...) written in the outbox, not sent inline.
    "communication.utils": "messaging.dispatcher",
    # Stock alerts mail any address a visitor types: rate-limited like password resets.
    "customer.alerts.views": "accounts.alerts",
    "catalogue.reviews.views": "catalog.review_views",
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
# Oscar's menu entries show only what the role may open (shops/access.py).
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = "shops.access.dashboard_menu_access"
# Slots, delivery zones and fees for the checkout (orders may not import delivery: see
# orders/fulfilment.py). Not an environment variable: it is how the apps are wired.
DIGITAIX_FULFILMENT_PROVIDER = "delivery.fulfilment.DeliveryProvider"
# The console's figures a daily snapshot keeps (shops may not import orders, whose shop
# orders say which shops sell: see shops/services/portal.py). Wiring, not an environment knob.
DIGITAIX_PORTAL_FIGURES = "digitaix.console.selectors.portal_figures"
# Who sees what the public does not in the catalogue (catalog may not import shops.access).
DIGITAIX_HIDDEN_CATALOGUE_VIEWER = "shops.access.sees_hidden_shops"
# Who is never served the public pages kept for everyone (catalog/pagecache.py).
DIGITAIX_BACK_OFFICE_USER = "shops.access.works_in_back_office"
# The offers the public sees in the catalogue: on sale, from live shops (catalog may not
# import shops, whose rule it is: see catalog/selectors.py).
DIGITAIX_PUBLIC_OFFERS = "shops.selectors.offers_on_sale"
# What changes when the public catalogue may have (catalog.cache keeps its aggregates under it).
DIGITAIX_CATALOGUE_VERSION = "shops.selectors.catalogue_version"
# The search page's shops (the shops' rule, above the catalogue in the layers, as above).
DIGITAIX_SHOP_SEARCH = "shops.selectors.shops_found"
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
# Where the contact form's messages go (the town's commerce staff), and the address the legal
# pages give for questions about personal data.
DIGITAIX_CONTACT_EMAIL = env.str("DIGITAIX_CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Web Push (a new order rings on the shop's phones: messaging/push.py) --------------------
# The portal's VAPID key pair (`python manage.py webpush_keys` prints a fresh one). Without
# both keys, push is off: no subscription is taken and no push is written in the outbox.
WEBPUSH_VAPID_PUBLIC_KEY = env.str("WEBPUSH_VAPID_PUBLIC_KEY", default="")
WEBPUSH_VAPID_PRIVATE_KEY = env.str("WEBPUSH_VAPID_PRIVATE_KEY", default="")
# Who the push services may contact about our pushes (a mailto: or https: URL).
WEBPUSH_VAPID_SUBJECT = env.str("WEBPUSH_VAPID_SUBJECT", default=f"mailto:{OSCAR_FROM_EMAIL}")
# The push services a subscription may point at (host suffixes, over HTTPS): our workers POST
# to a subscription's endpoint, so it must not be any address a browser-side script chose.
WEBPUSH_SERVICE_HOSTS = env.list(
    "WEBPUSH_SERVICE_HOSTS",
    default=[
        "fcm.googleapis.com",
        "push.services.mozilla.com",
        "push.apple.com",
        "notify.windows.com",
    ],
)

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
# reconnection attempts in the request); the e-mails are then sent by the outbox relay.
# socket_timeout: a Redis that accepts the connection but never answers (frozen, swapping)
# fails the hand-over after this many seconds instead of hanging the request for good.
_broker_socket_timeout = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "max_retries": 0,
    "socket_timeout": _broker_socket_timeout,
    "socket_connect_timeout": _broker_socket_timeout,
}
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs, each with a comment saying why it exists.
CELERY_BEAT_SCHEDULE: dict = {
    # E-mails still unsent (Redis was down when their cause committed, or a worker died
    # before sending): hand them over again. Sending is idempotent, so a late duplicate is
    # harmless.
    "messaging-relay-outbox": {"task": "messaging.tasks.relay_outbox", "schedule": 60.0},
    "messaging-prune-sent": {
        "task": "messaging.tasks.prune_sent_messages",
        "schedule": crontab(hour=3, minute=50),
    },
    # Search columns whose refresh never reached Redis (it was down when the product was
    # saved or imported): the marks written with the change are refreshed here.
    "catalog-search-refresh-catch-up": {
        "task": "catalog.tasks.search_refresh_catch_up",
        "schedule": 300.0,
    },
    # Product photos whose renditions never reached Redis (the lists show their original
    # meanwhile): up to 200 rendered per run, about 20 s of a worker.
    "catalog-image-renditions-catch-up": {
        "task": "catalog.tasks.image_renditions_catch_up",
        "schedule": 600.0,
    },
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
    # Shops' stock feeds: each due feed (its period: 15 min, hourly, daily) pulled by a task.
    "shops-stock-feeds": {"task": "shops.tasks.stock_feeds_dispatch", "schedule": 60.0},
    # Webhooks to the shops' own tools: retries with back-off, and what the broker missed.
    "shops-webhooks-due": {"task": "shops.tasks.webhooks_due", "schedule": 60.0},
    # Digitaix's sales told to the shops' WooCommerce sites: retries with back-off.
    "shops-woo-pushes-due": {"task": "shops.tasks.woo_stock_pushes_due", "schedule": 60.0},
    # The integrations' records past their keeping delay (shops/services/retention.py).
    "shops-integrations-prune": {
        "task": "shops.tasks.integrations_records_prune",
        "schedule": crontab(hour=3, minute=40),
    },
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
# Turns delivery addresses into points for planning rounds (shops/geocoding.py). The default
# needs no network (postcode centres of the town and around, plus a stable offset per street);
# "shops.geocoding.BanGeocoder" asks the national address API and caches its answers.
DIGITAIX_GEOCODER = env.str("DIGITAIX_GEOCODER", default="shops.geocoding.OfflineGeocoder")
# The national address API's search endpoint (Base Adresse Nationale), used by BanGeocoder.
DIGITAIX_BAN_URL = env.str("DIGITAIX_BAN_URL", default="https://api-adresse.data.gouv.fr/search/")

# --- Security (production) ----------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS only, unless DEBUG: the proxy in front (docker-compose.yml) terminates TLS and says so
# in X-Forwarded-Proto, which it always overwrites. /healthz answers over plain HTTP too, for
# load balancers and the container's healthcheck. Set both to false/0 to test over plain HTTP.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- The public REST API (digitaix/api.py, shops/api.py) ------------------------------------
# Each shop's keys (shops/access.py); JSON only; errors as problem documents (RFC 9457).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["shops.access.ShopApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["shops.access.HasShopApiKey"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "digitaix.api_policy.ShopApiKeyThrottle",
        "digitaix.api_policy.PublicAddressThrottle",
    ],
    # Calls per key, and per address on the keyless endpoints (/api/v1/public/); counted in
    # the cache (Redis with CACHE_URL, shared by every worker).
    "DEFAULT_THROTTLE_RATES": {
        "api_key": env.str("DIGITAIX_API_RATE", default="600/min"),
        "api_public": env.str("DIGITAIX_API_PUBLIC_RATE", default="60/min"),
    },
    "EXCEPTION_HANDLER": "digitaix.api_policy.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Digitaix API",
    "DESCRIPTION": (
        "L'API d'une boutique du portail : son profil et ses horaires, ses offres (prix, stock, "
        "mise en vente) une à une ou par lots de 5 000, ses commandes et leurs statuts, ses "
        "webhooks ; et, sans clé, les boutiques et produits publics. Chaque appel porte "
        "« Authorization: Api-Key <clé> », une clé créée dans l'espace de la boutique. Les "
        "erreurs sont des documents « problem+json » (RFC 9457). — EN: A shop's API: its "
        "profile and hours, its offers (one by one or 5,000 at a time), its orders and their "
        "statuses, its webhooks; and, keyless, the public shops and products."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SECURITY": [{"ApiKey": []}],
    # Swagger UI served from our static files (drf-spectacular-sidecar): nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "digitaix.api_policy.problem_responses_hook",
    ],
    # One name per choice set (the shops' and the shop orders' statuses differ).
    "ENUM_NAME_OVERRIDES": {
        "ShopStatusEnum": "shops.models.Partner.Status",
        "ShopOrderStatusEnum": "orders.models.ShopOrder.Status",
    },
}

# Stock feeds on loopback, private or link-local addresses (tests, a town's own LAN): off,
# so that a feed URL can never make the server read its own network (SSRF).
DIGITAIX_FEEDS_ALLOW_LOOPBACK = env.bool("DIGITAIX_FEEDS_ALLOW_LOOPBACK", default=False)
# Webhooks to plain http:// addresses (a shop's own LAN, the tests): off, https only.
DIGITAIX_WEBHOOKS_ALLOW_HTTP = env.bool("DIGITAIX_WEBHOOKS_ALLOW_HTTP", default=False)
# WooCommerce answering 429 or 5xx: the connector waits Retry-After, else 1, 2, 4 seconds,
# times this factor (tests make it tiny).
DIGITAIX_WOO_RETRY_SECONDS = env.float("DIGITAIX_WOO_RETRY_SECONDS", default=1.0)

# --- Content-Security-Policy (django-csp 4) -------------------------------------------------
# Scripts only from our own files, or inline with this request's nonce (templates print
# `nonce="{{ request.csp_nonce }}"`): a script a user managed to slip into a page never runs.
# No eval, no plugins, no <base> hijack, never framed. Styles only from our files: templates
# use classes, and what Oscar's own templates did with style or onclick attributes is done by
# static/digitaix/js/actions.js (its widgets' styles set from JavaScript are not affected).
DIGITAIX_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    # Plus the origins media may be served from in production (a bucket): DJANGO_CSP_IMG_SRC.
    "img-src": [SELF, "data:", *env.list("DJANGO_CSP_IMG_SRC", default=[])],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [NONE],
}
# Where browsers post the violations they see (a URL), none by default.
DIGITAIX_CSP_REPORT_URI = env.str("DJANGO_CSP_REPORT_URI", default="")
if DIGITAIX_CSP_REPORT_URI:
    DIGITAIX_CSP_DIRECTIVES["report-uri"] = [DIGITAIX_CSP_REPORT_URI]
# Report-only: browsers report violations but block nothing (to try a policy change first).
DIGITAIX_CSP_REPORT_ONLY = env.bool("DJANGO_CSP_REPORT_ONLY", default=False)
if DIGITAIX_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": DIGITAIX_CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": DIGITAIX_CSP_DIRECTIVES}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}


# Adds the bare /bench/ceiling page that bench/run.sh compares every page with. Never in production.
DIGITAIX_BENCH = env.bool("DIGITAIX_BENCH", default=False)
if DIGITAIX_BENCH:
    # Each answer says how many SQL queries it ran; plain Oscar's templates for comparison.
    MIDDLEWARE.insert(0, "digitaix.bench.QueryCountMiddleware")
    TEMPLATES.append(
        {
            **TEMPLATES[0],
            "NAME": "oscar_plain",
            "DIRS": [Path(oscar.__file__).parent / "templates"],
            "APP_DIRS": False,
        }
    )

# Oscar's stock search modules import haystack at load time even though we never use them
# (catalog/search/ replaces them with database search), so haystack needs a connection
# setting. The haystack app itself is not installed: nothing indexes, nothing is queried.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
