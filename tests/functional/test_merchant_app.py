"""The merchant space as an installable app (manifest, service worker) and the endpoints a
phone subscribes to Web Push with: strict input, only one's own subscriptions."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from messaging.models import PushSubscription
from tests.factories import ShopFactory, merchant_create
from tests.fakes.push_service import Browser, b64url

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.push_service"]

SUBSCRIBE = "merchant-app:push-subscribe"
UNSUBSCRIBE = "merchant-app:push-unsubscribe"


@pytest.fixture
def merchant():
    return merchant_create(ShopFactory(name="Boulangerie du Port"), email="baker@example.fr")


def post_json(client, name: str, data, **extra):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(reverse(name), body, content_type="application/json", **extra)


# --- The installable app ----------------------------------------------------------------------


def test_the_manifest_makes_the_merchant_space_an_app(client, settings):
    settings.OSCAR_SHOP_NAME = "Aix-les-Bains"
    response = client.get("/ma-boutique/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Aix-les-Bains – Ma boutique"
    assert manifest["start_url"] == manifest["scope"] == "/ma-boutique/"
    assert manifest["display"] == "standalone" and manifest["theme_color"] == "#7a2e14"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        path = icon["src"].removeprefix(settings.STATIC_URL)
        assert finders.find(path), icon["src"]


def test_the_service_worker_is_served_from_the_spaces_root_and_never_cached(client):
    response = client.get("/ma-boutique/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert response["Service-Worker-Allowed"] == "/ma-boutique/"
    assert "no-cache" in response["Cache-Control"]
    source = response.content.decode()
    assert 'addEventListener("push"' in source
    assert 'addEventListener("notificationclick"' in source
    assert "caches." not in source  # it keeps no page


def test_the_head_include_links_the_manifest():
    html = render_to_string("digitaix/space/_pwa_head.html")
    assert '<link rel="manifest" href="/ma-boutique/manifest.webmanifest">' in html


def _toggle(user) -> str:
    request = RequestFactory().get("/ma-boutique/")
    request.user = user
    return render_to_string("digitaix/space/_push_toggle.html", request=request)


def test_the_toggle_says_push_is_off_when_the_portal_has_no_keys(settings, merchant):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    html = _toggle(merchant)
    assert "ne sont pas activées sur ce portail" in html
    assert "data-dx-push-button" not in html and "push.js" not in html


def test_the_toggle_offers_the_button_with_the_portals_key(fake_push, settings, merchant):
    html = _toggle(merchant)
    assert "Recevoir les nouvelles commandes sur ce téléphone" in html
    assert f'data-key="{settings.WEBPUSH_VAPID_PUBLIC_KEY}"' in html
    assert 'aria-live="polite"' in html and 'aria-pressed="false"' in html
    assert "/static/digitaix/js/push.js" in html
    assert "onclick" not in html and "style=" not in html


# --- Subscribing ---------------------------------------------------------------------------


def test_a_merchant_subscribes_this_phone(client, fake_push, merchant):
    browser = fake_push.browser()
    client.force_login(merchant)

    response = post_json(client, SUBSCRIBE, browser.subscription_json())

    assert response.status_code == 201, response.content
    assert "sonneront sur ce téléphone" in response.json()["message"]
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.endpoint, saved.p256dh) == (
        merchant,
        browser.endpoint,
        browser.p256dh,
    )
    again = post_json(client, SUBSCRIBE, browser.subscription_json())
    assert again.status_code == 201 and PushSubscription.objects.count() == 1


def test_subscribing_needs_the_csrf_token_in_a_header(fake_push, merchant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(merchant)
    subscription = fake_push.browser().subscription_json()

    assert post_json(client, SUBSCRIBE, subscription).status_code == 403
    client.cookies["csrftoken"] = token = "k" * 32  # the cookie the merchant's pages set
    response = post_json(client, SUBSCRIBE, subscription, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert PushSubscription.objects.count() == 1


def _with(**changes) -> dict:
    browser = Browser(endpoint="https://fcm.googleapis.com/fcm/send/abc:def")
    data = browser.subscription_json()
    keys = {k: changes.pop(k) for k in ("p256dh", "auth") if k in changes}
    data["keys"].update(keys)
    data.update(changes)
    return data


def _not_on_the_curve() -> str:
    point = bytearray(base64.urlsafe_b64decode(_with()["keys"]["p256dh"] + "="))
    point[-1] ^= 1
    return b64url(bytes(point))


BAD_SUBSCRIPTIONS = {
    "not JSON": "endpoint=https://fcm.googleapis.com/x",
    "not UTF-8": b"\xff\xfe{}",
    "a list": [],
    "null": None,
    "an unknown key": {**_with(), "admin": True},
    "no keys": {"endpoint": "https://fcm.googleapis.com/fcm/send/abc"},
    "an extra key in keys": _with() | {"keys": {**_with()["keys"], "extra": "x"}},
    "keys not strings": _with(auth=16),
    "expiration a string": _with(expirationTime="demain"),
    "an endpoint not a URL": _with(endpoint="pas une adresse"),
    "an endpoint over HTTP": _with(endpoint="http://fcm.googleapis.com/fcm/send/abc"),
    "an endpoint of no push service": _with(endpoint="https://169.254.169.254/latest/"),
    "an endpoint merely ending like one": _with(
        endpoint="https://evilfcm.googleapis.com.example/x"
    ),
    "an endpoint too long": _with(endpoint="https://fcm.googleapis.com/" + "a" * 1000),
    "an endpoint with spaces": _with(endpoint=" https://fcm.googleapis.com/fcm/send/abc"),
    "p256dh not base64": _with(p256dh="pas de la base64 !"),
    "p256dh not a point": _with(p256dh=b64url(b"\x04" + b"\x01" * 64)),
    "p256dh off the curve": _with(p256dh=_not_on_the_curve()),
    "auth too short": _with(auth=b64url(b"12345678")),
    "auth empty": _with(auth=""),
    "NUL in the endpoint": _with(endpoint="https://fcm.googleapis.com/\x00"),
    "huge": _with(endpoint="https://fcm.googleapis.com/" + "é" * 5000),
}


@pytest.mark.parametrize("bad", BAD_SUBSCRIPTIONS, ids=list(BAD_SUBSCRIPTIONS))
def test_a_bad_subscription_is_refused_in_french_and_nothing_is_saved(
    client, settings, merchant, bad
):
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = "pub", "priv"
    client.force_login(merchant)
    data = BAD_SUBSCRIPTIONS[bad]

    response = post_json(client, SUBSCRIBE, json.dumps(data) if data is None else data)

    assert response.status_code == 400, response.content
    assert response.json()["message"] in (
        "Cet abonnement aux notifications n'est pas valable.",
        "Ce service de notification n'est pas accepté par le portail.",
        "La demande n'a pas pu être lue : rien n'a été enregistré.",
    )
    assert not PushSubscription.objects.exists()


def test_with_push_off_nothing_is_subscribed(client, settings, merchant):
    settings.WEBPUSH_VAPID_PUBLIC_KEY = settings.WEBPUSH_VAPID_PRIVATE_KEY = ""
    client.force_login(merchant)
    response = post_json(client, SUBSCRIBE, _with())
    assert response.status_code == 409 and "pas activées" in response.json()["message"]
    assert not PushSubscription.objects.exists()


def test_only_merchants_subscribe(client, fake_push):
    subscription = fake_push.browser().subscription_json()
    anonymous = post_json(client, SUBSCRIBE, subscription)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(get_user_model().objects.create_user("r", "habitant@example.fr", "x"))
    assert post_json(client, SUBSCRIBE, subscription).status_code == 403
    assert client.get(reverse(SUBSCRIBE)).status_code == 403
    assert not PushSubscription.objects.exists()


def test_a_get_is_not_a_subscription(client, merchant):
    client.force_login(merchant)
    assert client.get(reverse(SUBSCRIBE)).status_code == 405
    assert client.get(reverse(UNSUBSCRIBE)).status_code == 405


def test_another_accounts_endpoint_with_other_keys_is_not_taken_over(client, fake_push, merchant):
    browser = fake_push.browser()
    owner = merchant_create(ShopFactory(), email="owner@example.fr")
    client.force_login(owner)
    post_json(client, SUBSCRIBE, browser.subscription_json())

    client.force_login(merchant)
    forged = Browser(endpoint=browser.endpoint).subscription_json()  # other keys
    response = post_json(client, SUBSCRIBE, forged)

    assert response.status_code == 400
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.p256dh) == (owner, browser.p256dh)


def test_the_same_phone_signed_in_by_a_colleague_moves_to_them(client, fake_push, merchant):
    browser = fake_push.browser()
    client.force_login(merchant_create(ShopFactory(), email="owner@example.fr"))
    post_json(client, SUBSCRIBE, browser.subscription_json())
    client.force_login(merchant)
    assert post_json(client, SUBSCRIBE, browser.subscription_json()).status_code == 201
    assert PushSubscription.objects.get().user == merchant


# --- Unsubscribing -------------------------------------------------------------------------


def test_a_merchant_unsubscribes_their_phone(client, fake_push, merchant):
    browser = fake_push.browser()
    client.force_login(merchant)
    post_json(client, SUBSCRIBE, browser.subscription_json())

    response = post_json(client, UNSUBSCRIBE, {"endpoint": browser.endpoint})

    assert response.status_code == 200 and response.json()["subscribed"] is False
    assert not PushSubscription.objects.exists()
    assert post_json(client, UNSUBSCRIBE, {"endpoint": browser.endpoint}).status_code == 404


def test_nobody_deletes_another_accounts_subscription(client, fake_push, merchant):
    browser = fake_push.browser()
    client.force_login(merchant_create(ShopFactory(), email="owner@example.fr"))
    post_json(client, SUBSCRIBE, browser.subscription_json())

    client.force_login(merchant)
    response = post_json(client, UNSUBSCRIBE, browser.subscription_json())

    assert response.status_code == 404
    assert PushSubscription.objects.filter(endpoint=browser.endpoint).exists()


@pytest.mark.parametrize("bad", ["", "[]", '{"endpoint": 1}', '{"endpoint": "x", "a": 1}'])
def test_a_bad_unsubscription_is_refused_in_french(client, merchant, bad):
    client.force_login(merchant)
    response = post_json(client, UNSUBSCRIBE, bad)
    assert response.status_code == 400 and "rien n'a été enregistré" in response.json()["message"]


# --- The operators' key pair ---------------------------------------------------------------


def test_webpush_keys_prints_a_matching_vapid_pair(capsys):
    call_command("webpush_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    public = base64.urlsafe_b64decode(lines["WEBPUSH_VAPID_PUBLIC_KEY"] + "==")
    private = base64.urlsafe_b64decode(lines["WEBPUSH_VAPID_PRIVATE_KEY"] + "==")
    key = ec.derive_private_key(int.from_bytes(private, "big"), ec.SECP256R1())
    assert len(public) == 65 and len(private) == 32
    assert key.public_key().public_numbers() == (
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public).public_numbers()
    )
