"""The merchant space installs as an app on the shop's phone, which then rings on new orders.

- The manifest and the service worker hold nothing private: anyone may fetch them (a browser
  fetches the manifest without cookies). The service worker caches no page: the merchant's
  pages are private and always come from the server; it only shows pushes.
- The subscription endpoints are JSON, for signed-in merchants (CSRF token in the
  `X-CSRFToken` header). A phone is subscribed for the account signed in on it; the pushes it
  gets are those of the shops that account works for (`orders.outbox`).
"""

import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from messaging.forms import INVALID, PushSubscriptionForm, subscription_fields
from messaging.push import push_enabled
from messaging.services import (
    SubscriptionTaken,
    push_subscription_delete,
    push_subscription_save,
)
from shops.access import MerchantRequiredMixin

THEME_COLOUR = "#7a2e14"
BACKGROUND_COLOUR = "#fffaf3"
SERVICE_WORKER = "digitaix/js/sw.js"
SUBSCRIPTION_KEYS = {"endpoint", "expirationTime", "keys"}
BODY_MAX = 4096  # a browser's subscription is about 400 bytes
PUSH_OFF = _("Les notifications sur téléphone ne sont pas activées sur ce portail.")
NOT_JSON = _("La demande n'a pas pu être lue : rien n'a été enregistré.")
NOT_FOUND = _("Ce téléphone n'était pas abonné avec ce compte.")


def _scope() -> str:
    """The merchant space's root (/ma-boutique/), where this app is mounted."""
    return reverse("merchant-app:manifest").rpartition("/")[0] + "/"


@require_GET
@cache_control(public=True, max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    scope = _scope()
    icon = "digitaix/img/app/{}.png"
    data = {
        "id": scope,
        "name": f"{settings.OSCAR_SHOP_NAME} – {_('Ma boutique')}",
        "short_name": str(_("Ma boutique")),
        "description": str(_("Les commandes de votre boutique, sur votre téléphone.")),
        "lang": "fr",
        "dir": "ltr",
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(icon.format("icon-192")), "sizes": "192x192", "type": "image/png"},
            {"src": static(icon.format("icon-512")), "sizes": "512x512", "type": "image/png"},
            *(
                {
                    "src": static(icon.format(f"maskable-{size}")),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "maskable",
                }
                for size in (192, 512)
            ),
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@lru_cache(maxsize=1)
def _service_worker_source() -> bytes:
    path = finders.find(SERVICE_WORKER)
    if path:
        with open(path, "rb") as source:
            return source.read()
    with staticfiles_storage.open(SERVICE_WORKER) as source:  # collected, finders off
        return source.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/digitaix/js/sw.js served from the space's root, so that its scope is the whole
    space; never cached by the browser's HTTP cache, so an update reaches phones at once."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = _scope()
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


def _refused(message, status: int = 400) -> JsonResponse:
    return JsonResponse({"message": str(message)}, status=status)


def _posted_json(request: HttpRequest) -> object:
    """The JSON body, or None when it is not JSON (or far too big for a subscription)."""
    if request.content_type != "application/json" or len(request.body) > BODY_MAX:
        return None
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


class PushSubscribeView(MerchantRequiredMixin, View):
    """POST the browser's `PushSubscription` (JSON): this phone rings for this account."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> JsonResponse:
        if not push_enabled():
            return _refused(PUSH_OFF, status=409)
        data = _posted_json(request)
        if data is None:
            return _refused(NOT_JSON)
        fields = subscription_fields(data)
        if fields is None:  # JSON, but not the shape of a browser's subscription
            return _refused(INVALID)
        form = PushSubscriptionForm(fields)
        if not form.is_valid():
            return _refused(form.refusal())
        try:
            push_subscription_save(user=request.user, **form.cleaned_data)
        except SubscriptionTaken:
            return _refused(INVALID)
        message = _("Les nouvelles commandes sonneront sur ce téléphone.")
        return JsonResponse({"subscribed": True, "message": str(message)}, status=201)


class PushUnsubscribeView(MerchantRequiredMixin, View):
    """POST `{"endpoint": ...}` (or the whole subscription): this phone stops ringing. Only
    the signed-in account's own subscriptions can be deleted."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> JsonResponse:
        data = _posted_json(request)
        if not isinstance(data, dict) or not set(data) <= SUBSCRIPTION_KEYS:
            return _refused(NOT_JSON)
        endpoint = data.get("endpoint")
        if not isinstance(endpoint, str):
            return _refused(NOT_JSON)
        if not push_subscription_delete(user=request.user, endpoint=endpoint):
            return _refused(NOT_FOUND, status=404)
        message = _("Ce téléphone ne recevra plus les nouvelles commandes.")
        return JsonResponse({"subscribed": False, "message": str(message)})
