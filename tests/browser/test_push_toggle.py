"""The "Recevoir les nouvelles commandes sur ce téléphone" toggle, in Chromium, under the CSP.

The toggle (templates/digitaix/space/_push_toggle.html + static/digitaix/js/push.js) is shown
on a page of the merchant space served by the test itself (the space's pages are another part
of the work), with the portal's real Content-Security-Policy. The service worker is the real
one, from the live server. Only the browser's push service is replaced (headless Chromium has
none): `PushManager` hands out the subscription of a browser the test made against the local
push-service fake, so the real subscribe/unsubscribe endpoints are called with it.
"""

import json

import pytest
import requests
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from playwright.sync_api import expect

from messaging.models import PushSubscription
from tests.factories import ShopFactory, merchant_create

pytestmark = pytest.mark.django_db(transaction=True)
pytest_plugins = ["tests.fakes.push_service"]
PAGE = "/ma-boutique/essai-notifications/"

# The browser's push service, replaced: `state` is "granted", "denied" or "unsupported".
PUSH_STUB = """
(() => {
    const state = window.__pushState = %(state)s;
    if (state === "unsupported") { delete window.PushManager; return; }
    let current = null;
    Object.defineProperty(Notification, "permission", {get: () => state});
    Notification.requestPermission = () => Promise.resolve(state);
    PushManager.prototype.subscribe = function (options) {
        window.__serverKeyLength = options.applicationServerKey.length;
        current = {
            endpoint: (%(subscription)s).endpoint,
            toJSON: () => (%(subscription)s),
            unsubscribe: () => { current = null; return Promise.resolve(true); },
        };
        return Promise.resolve(current);
    };
    PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
})();
"""


def merchant_page(live_server, context, merchant, fake_push, state: str):
    """A merchant-space page holding the toggle, signed in as `merchant`."""
    client = Client()
    client.force_login(merchant)
    request = RequestFactory().get(PAGE)
    request.user = merchant
    get_token(request)
    html = render_to_string("digitaix/space/_push_toggle.html", request=request)
    head = '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head>'
    document = f"{head}<body><main>{html}</main></body></html>"
    policy = requests.get(live_server.url + "/ma-boutique/manifest.webmanifest", timeout=10)
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies["sessionid"].value,
             "url": live_server.url},
            {"name": settings.CSRF_COOKIE_NAME, "value": request.META["CSRF_COOKIE"],
             "url": live_server.url},
        ]
    )  # fmt: skip
    subscription = json.dumps(fake_push.browser().subscription_json())
    context.add_init_script(PUSH_STUB % {"state": json.dumps(state), "subscription": subscription})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.route(
        live_server.url + PAGE,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": policy.headers["Content-Security-Policy"]},
            body=document,
        ),
    )
    page.goto(live_server.url + PAGE)
    return page, errors


def test_a_merchant_turns_new_order_notifications_on_then_off(
    live_server, context, fake_push, eager_celery
):
    merchant = merchant_create(ShopFactory(name="Boulangerie du Port"), email="baker@example.fr")
    page, errors = merchant_page(live_server, context, merchant, fake_push, "granted")
    button = page.get_by_role("button", name="Recevoir les nouvelles commandes sur ce téléphone")
    status = page.get_by_role("status")

    expect(status).to_have_text("Ce téléphone ne reçoit pas les nouvelles commandes.")
    expect(button).to_have_attribute("aria-pressed", "false")
    registered = "navigator.serviceWorker.getRegistration('/ma-boutique/').then(r => !!r)"
    assert page.evaluate(registered)

    button.click()
    expect(status).to_have_text("Les nouvelles commandes sonneront sur ce téléphone.")
    expect(button).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__serverKeyLength") == 65  # the VAPID key, decoded
    assert PushSubscription.objects.get().user == merchant

    button.click()
    expect(status).to_have_text("Ce téléphone ne reçoit pas les nouvelles commandes.")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert not PushSubscription.objects.exists()
    assert errors == []


@pytest.mark.parametrize(
    ("state", "says"),
    [
        ("unsupported", "Ce navigateur ne peut pas recevoir de notifications."),
        ("denied", "Les notifications sont bloquées pour ce site"),
    ],
)
def test_the_toggle_says_why_it_cannot_ring(live_server, context, fake_push, state, says):
    merchant = merchant_create(ShopFactory(name="Boulangerie du Port"), email="baker@example.fr")
    page, errors = merchant_page(live_server, context, merchant, fake_push, state)

    expect(page.get_by_role("status")).to_contain_text(says)
    expect(page.get_by_role("button")).to_be_hidden()
    assert errors == []
