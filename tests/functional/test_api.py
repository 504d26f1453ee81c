"""The public REST API's keys and the shop's offers (issue 14, part 1): who gets in (a shop's
key: 401 without, 403 to write with a read key, 404 on another shop's object), what a key
reads and changes (through the stock editor's service: same rules), errors as problem
documents, the schema and its offline docs, and the keys in the merchant's space."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from tests.factories import (
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    merchant_create,
    product_offered,
)

pytestmark = pytest.mark.django_db
ShopApiKey = get_model("partner", "ShopApiKey")
StockRecord = get_model("partner", "StockRecord")
StockFeed = get_model("partner", "StockFeed")
PROBLEM = "application/problem+json"


@pytest.fixture
def shop():
    return ShopFactory(name="Fromagerie du Lac")


@pytest.fixture
def offer(shop):
    product = product_offered(title="Comté 18 mois", shop=shop, price="6.90", upc="3760000000017")
    return shop.stockrecords.get(product=product)


def key_for(shop, scope="read") -> str:
    return ShopApiKey.objects.create_key(shop=shop, name="Caisse", scope=scope)[1]


def auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


def patch(client, url, body, secret):
    return client.patch(url, body, content_type="application/json", **auth(secret))


# --- Who gets in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "Api-Key", "Api-Key inconnue.0123456789", "Bearer abc", "Api-Key ...", "Api-Key é"],
)
def test_no_usable_key_is_a_401_problem_in_french(client, shop, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(reverse("api-offers"), **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == "Api-Key"
    problem = response.json()
    assert problem["status"] == 401 and problem["title"] == "Clé d'API manquante ou invalide"


def test_a_revoked_key_is_refused_at_once(client, shop, offer):
    from shops.services.api_keys import api_key_revoke

    secret = key_for(shop)
    assert client.get(reverse("api-offers"), **auth(secret)).status_code == 200
    api_key_revoke(key=ShopApiKey.objects.get(shop=shop))
    assert client.get(reverse("api-offers"), **auth(secret)).status_code == 401


def test_a_read_key_reads_but_writing_is_a_403(client, shop, offer):
    secret = key_for(shop, "read")
    url = reverse("api-offer", kwargs={"pk": offer.pk})
    assert client.get(url, **auth(secret)).status_code == 200
    response = patch(client, url, {"num_in_stock": 3}, secret)
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM
    assert "lecture" in response.json()["detail"]
    offer.refresh_from_db()
    assert offer.num_in_stock == 10


def test_another_shops_offer_is_a_404_for_every_method(client, shop, offer):
    other = StockRecordFactory(partner=ShopFactory(name="Librairie"), product=ProductFactory())
    secret = key_for(shop, "write")
    url = reverse("api-offer", kwargs={"pk": other.pk})
    assert client.get(url, **auth(secret)).status_code == 404
    assert patch(client, url, {"num_in_stock": 0}, secret).status_code == 404
    other.refresh_from_db()
    assert other.num_in_stock == 10


def test_a_key_records_when_it_was_last_used(client, shop):
    secret = key_for(shop)
    assert ShopApiKey.objects.get().last_used_at is None
    client.get(reverse("api-shop"), **auth(secret))
    used = ShopApiKey.objects.get().last_used_at
    assert used is not None and timezone.now() - used < datetime.timedelta(seconds=5)


def test_calls_beyond_the_rate_are_a_429_problem(client, shop):
    from rest_framework.throttling import SimpleRateThrottle

    # DRF's throttles read their rates once, at import: set them on the class for this test.
    saved = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**saved, "api_key": "2/min"}
    try:
        secret = key_for(shop)
        # Counted per minute window: frozen 20 s into one, so the three calls share it.
        minute = timezone.now().replace(second=20, microsecond=0)
        with time_machine.travel(minute, tick=False):
            answers = [client.get(reverse("api-shop"), **auth(secret)) for _ in range(3)]
            assert [a.status_code for a in answers] == [200, 200, 429]
            assert answers[2]["Retry-After"] == "40"
            other = key_for(ShopFactory(name="Autre boutique"))
            assert client.get(reverse("api-shop"), **auth(other)).status_code == 200  # per key
        with time_machine.travel(minute + datetime.timedelta(minutes=1), tick=False):
            assert client.get(reverse("api-shop"), **auth(secret)).status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = saved


def test_malformed_json_is_a_400_problem_in_french(client, shop, offer):
    secret = key_for(shop, scope="write")
    url = reverse("api-offer", kwargs={"pk": offer.pk})
    for body, detail in (
        (b'{"price": "18.90",', "JSON mal formé (ligne 1, colonne 19)."),
        (b'{"price": "\xff"}', "Corps illisible : il doit être encodé en UTF-8."),
    ):
        response = client.patch(url, body, content_type="application/json", **auth(secret))
        assert response.status_code == 400 and response.json()["detail"] == detail


# --- What a key reads ----------------------------------------------------------------------


def test_the_shop_is_the_keys_own(client, shop):
    response = client.get(reverse("api-shop"), **auth(key_for(shop)))
    assert response.status_code == 200
    assert response.json()["code"] == shop.code and response.json()["name"] == "Fromagerie du Lac"


def test_offers_are_the_shops_own_with_filters(client, shop, offer):
    product_offered(title="Livre", shop=ShopFactory(name="Librairie"), upc="9782070000001")
    product_offered(title="Beaufort", shop=shop, price="8.40", upc="3760000000024")
    secret = key_for(shop)
    body = client.get(reverse("api-offers"), **auth(secret)).json()
    assert sorted(row["product"]["title"] for row in body["results"]) == [
        "Beaufort",
        "Comté 18 mois",
    ]
    row = next(row for row in body["results"] if row["id"] == offer.pk)
    assert row["price"] == "6.90" and row["num_in_stock"] == 10 and row["ean"] == "3760000000017"
    by_ean = client.get(reverse("api-offers"), {"ean": "3760000000017"}, **auth(secret)).json()
    assert [row["id"] for row in by_ean["results"]] == [offer.pk]
    by_sku = client.get(reverse("api-offers"), {"sku": offer.partner_sku}, **auth(secret)).json()
    assert [row["id"] for row in by_sku["results"]] == [offer.pk]


def test_updated_since_lists_only_what_changed_after(client, shop, offer):
    secret = key_for(shop, "write")
    since = timezone.now()
    product_offered(title="Beaufort", shop=shop)
    assert patch(client, reverse("api-offer", kwargs={"pk": offer.pk}), {"num_in_stock": 4}, secret)
    body = client.get(
        reverse("api-offers"), {"updated_since": since.isoformat()}, **auth(secret)
    ).json()
    assert offer.pk in [row["id"] for row in body["results"]]
    later = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    assert (
        client.get(reverse("api-offers"), {"updated_since": later}, **auth(secret)).json()[
            "results"
        ]
        == []
    )


def test_a_bad_filter_is_a_400_problem(client, shop):
    response = client.get(reverse("api-offers"), {"updated_since": "hier"}, **auth(key_for(shop)))
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert "updated_since" in response.json()["errors"]


def test_offers_pages_follow_a_cursor_through_every_offer(client, shop):
    for n in range(7):
        product_offered(title=f"Fromage {n}", shop=shop)
    secret = key_for(shop)
    seen, url = [], reverse("api-offers") + "?page_size=3"
    while url:
        body = client.get(url, **auth(secret)).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(shop.stockrecords.values_list("pk", flat=True))


@pytest.mark.parametrize("count", [3, 30])
def test_the_offers_list_runs_the_same_queries_for_3_or_30_offers(
    client, shop, count, django_assert_num_queries
):
    for n in range(count):
        product_offered(title=f"Fromage {n}", shop=shop)
    secret = key_for(shop)
    client.get(reverse("api-shop"), **auth(secret))  # its use recorded: no write below
    # The key with its shop, then the page of offers with their products (and the request's
    # savepoint and its release: ATOMIC_REQUESTS).
    with django_assert_num_queries(4):
        assert client.get(reverse("api-offers"), **auth(secret)).status_code == 200


# --- What a key changes --------------------------------------------------------------------


def test_a_write_key_changes_price_stock_and_sale_at_once(client, shop, offer):
    url = reverse("api-offer", kwargs={"pk": offer.pk})
    body = {"price": "7.20", "num_in_stock": 4, "is_on_sale": False}
    response = patch(client, url, body, key_for(shop, "write"))
    assert response.status_code == 200, response.json()
    assert response.json()["price"] == "7.20" and response.json()["is_on_sale"] is False
    offer.refresh_from_db()
    assert (offer.price, offer.num_in_stock, offer.is_on_sale) == (Decimal("7.20"), 4, False)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"price": "0"}, "price"),
        ({"price": "-3"}, "price"),
        ({"price": "4.456"}, "price"),
        ({"price": "beaucoup"}, "price"),
        ({"price": None}, "price"),
        ({"num_in_stock": -1}, "num_in_stock"),
        ({"num_in_stock": "douze"}, "num_in_stock"),
        ({"num_in_stock": 10**12}, "num_in_stock"),
        ({"is_on_sale": "peut-être"}, "is_on_sale"),
    ],
)
def test_bad_values_are_a_400_problem_and_change_nothing(client, shop, offer, body, field):
    url = reverse("api-offer", kwargs={"pk": offer.pk})
    response = patch(client, url, body, key_for(shop, "write"))
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert field in response.json()["errors"]
    offer.refresh_from_db()
    assert (offer.price, offer.num_in_stock, offer.is_on_sale) == (Decimal("6.90"), 10, True)


@pytest.mark.parametrize("raw", ["{", "[1, 2]", "null", '"texte"'])
def test_a_body_that_is_no_json_object_is_a_400_problem(client, shop, offer, raw):
    url = reverse("api-offer", kwargs={"pk": offer.pk})
    response = client.patch(
        url, raw, content_type="application/json", **auth(key_for(shop, "write"))
    )
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM


def test_stock_never_goes_below_what_orders_hold(client, shop, offer):
    StockRecord.objects.filter(pk=offer.pk).update(num_allocated=3)
    url = reverse("api-offer", kwargs={"pk": offer.pk})
    response = patch(client, url, {"num_in_stock": 2}, key_for(shop, "write"))
    assert response.status_code == 400
    assert "réservées" in " ".join(response.json()["errors"]["num_in_stock"])
    offer.refresh_from_db()
    assert offer.num_in_stock == 10


# --- Schema and docs -----------------------------------------------------------------------


def test_the_schema_and_its_docs_are_served_without_a_key_and_offline(client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/v1/offers/" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html and "cdn" not in html.lower()
    assert "Content-Security-Policy" in docs


# --- The operator's command ----------------------------------------------------------------


def test_the_command_prints_a_working_key_once(client, shop, capsys):
    call_command("api_key_create", "--shop", shop.code, "--scope", "write", "--name", "Script")
    secret = capsys.readouterr().out.strip()
    key = ShopApiKey.objects.get()
    assert (key.name, key.scope, key.shop) == ("Script", "write", shop)
    assert secret not in key.hashed_key and secret.startswith(key.prefix + ".")
    assert client.get(reverse("api-shop"), **auth(secret)).status_code == 200


def test_the_command_refuses_an_unknown_shop(shop):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucune boutique"):
        call_command("api_key_create", "--shop", "nulle-part")
    assert not ShopApiKey.objects.exists()


# --- The keys in the merchant's space ------------------------------------------------------


@pytest.fixture
def owner(shop):
    return merchant_create(shop, email="owner@example.fr", role="owner")


def test_an_owner_creates_a_key_shown_once_that_then_works(client, shop, owner):
    client.force_login(owner)
    page = reverse("merchant:api-keys", kwargs={"slug": shop.code})
    response = client.post(page, {"name": "Caisse", "scope": "write"}, follow=True)
    key = ShopApiKey.objects.get()
    assert (key.name, key.scope, key.created_by) == ("Caisse", "write", owner)
    shown = response.context["new_key"]["key"]
    assert shown.startswith(key.prefix + ".") and shown in response.content.decode()
    again = client.get(page).content.decode()
    assert shown not in again and key.prefix in again
    assert client.get(reverse("api-shop"), **auth(shown)).status_code == 200


def test_an_owner_revokes_a_key(client, shop, owner):
    secret = key_for(shop, "write")
    key = ShopApiKey.objects.get()
    client.force_login(owner)
    url = reverse("merchant:api-key-revoke", kwargs={"slug": shop.code, "prefix": key.prefix})
    assert client.post(url).status_code == 302
    key.refresh_from_db()
    assert key.revoked and key.revoked_at is not None
    assert client.get(reverse("api-shop"), **auth(secret)).status_code == 401


def test_a_member_sees_the_keys_but_neither_creates_nor_revokes(client, shop):
    member = merchant_create(shop, email="member@example.fr", role="member")
    key_for(shop)
    key = ShopApiKey.objects.get()
    client.force_login(member)
    page = reverse("merchant:api-keys", kwargs={"slug": shop.code})
    assert key.prefix in client.get(page).content.decode()
    assert client.post(page, {"name": "Moi", "scope": "write"}).status_code == 403
    revoke = reverse("merchant:api-key-revoke", kwargs={"slug": shop.code, "prefix": key.prefix})
    assert client.post(revoke).status_code == 403
    assert ShopApiKey.objects.count() == 1 and not ShopApiKey.objects.get().revoked


@pytest.mark.parametrize(
    "data, field",
    [({"name": "  ", "scope": "write"}, "name"), ({"name": "Caisse", "scope": "admin"}, "scope")],
)
def test_a_bad_key_form_says_why_and_creates_nothing(client, shop, owner, data, field):
    client.force_login(owner)
    response = client.post(reverse("merchant:api-keys", kwargs={"slug": shop.code}), data)
    assert response.status_code == 200 and response.context["form"].errors[field]
    assert not ShopApiKey.objects.exists()


def test_another_shops_key_cannot_be_revoked_from_ones_own_shop(client, shop, owner):
    other = ShopFactory(name="Librairie")
    key_for(other)
    key = ShopApiKey.objects.get()
    client.force_login(owner)
    url = reverse("merchant:api-key-revoke", kwargs={"slug": shop.code, "prefix": key.prefix})
    assert client.post(url).status_code == 404
    assert not ShopApiKey.objects.get().revoked


# --- A new offer -------------------------------------------------------------------------


def post_offer(client, secret, body):
    return client.post(reverse("api-offers"), body, content_type="application/json", **auth(secret))


def test_an_ean_of_the_catalogue_adds_the_shops_offer_on_that_product(client, shop):
    neighbour = ShopFactory(name="Crèmerie des Alpes")
    reblochon = product_offered(title="Reblochon", shop=neighbour, upc="3017620422003")
    body = {"ean": "3017620422003", "price": "6,90", "num_in_stock": 12}
    response = post_offer(client, key_for(shop, "write"), body)
    assert response.status_code == 201, response.json()
    offer = shop.stockrecords.get()
    assert offer.product == reblochon and offer.price == Decimal("6.90")
    assert response.json()["id"] == offer.pk and response.json()["product"]["id"] == reblochon.pk
    again = post_offer(client, key_for(shop, "write"), body)
    assert again.status_code == 400 and "vend déjà" in str(again.json()["errors"])
    assert shop.stockrecords.count() == 1


def test_an_unknown_ean_makes_a_new_product_as_the_page_would(client, shop):
    cheese = category_create("Fromages")
    body = {
        "ean": "3760000000017", "title": "  Tomme   fermière ", "category": cheese.pk,
        "description": "<script>alert(1)</script>Affinée", "price": "18.50", "num_in_stock": 7,
    }  # fmt: skip
    response = post_offer(client, key_for(shop, "write"), body)
    assert response.status_code == 201, response.json()
    product = shop.stockrecords.get().product
    assert (product.title, product.upc) == ("Tomme fermière", "3760000000017")
    assert list(product.categories.all()) == [cheese]
    assert "<script>" not in product.description


@pytest.mark.parametrize(
    "body, field",
    [
        ({"title": "", "price": "4", "num_in_stock": 1}, "title"),
        ({"title": "Tomme", "price": "4", "num_in_stock": 1}, "category"),
        ({"ean": "3760000000018", "title": "Tomme", "price": "4", "num_in_stock": 1}, "ean"),
        ({"title": "Tomme", "price": "zéro", "num_in_stock": 1}, "price"),
        ({"title": "Tomme", "num_in_stock": 1}, "price"),
        ({"title": "Tomme", "price": "4", "num_in_stock": -2}, "num_in_stock"),
    ],
)
def test_a_bad_new_offer_is_a_400_problem_and_creates_nothing(client, shop, body, field):
    category_create("Fromages")
    response = post_offer(client, key_for(shop, "write"), body)
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert field in response.json()["errors"], response.json()
    assert not shop.stockrecords.exists()


def test_a_read_key_cannot_add_an_offer(client, shop):
    body = {"title": "Tomme", "price": "4", "num_in_stock": 1}
    assert post_offer(client, key_for(shop, "read"), body).status_code == 403
    assert not shop.stockrecords.exists()


# --- The shop's profile and hours ----------------------------------------------------------


def test_a_write_key_changes_the_profile_as_the_page_would(client, shop):
    shop.phone, shop.description = "04 79 00 00 01", "Avant"
    shop.save()
    body = {"description": "Fromages affinés dans nos caves.", "offers_delivery": True}
    response = client.patch(
        reverse("api-shop"), body, content_type="application/json", **auth(key_for(shop, "write"))
    )
    assert response.status_code == 200, response.json()
    shop.refresh_from_db()
    assert shop.description == "Fromages affinés dans nos caves." and shop.offers_delivery
    assert response.json()["description"] == shop.description


def test_a_live_shops_new_name_waits_for_the_town(client, shop):
    shop.status = "live"
    shop.save()
    response = client.patch(
        reverse("api-shop"), {"name": "Fromagerie du Port"}, content_type="application/json",
        **auth(key_for(shop, "write")),
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    shop.refresh_from_db()
    assert shop.name == "Fromagerie du Lac"
    assert shop.identity_changes.get().after["name"] == "Fromagerie du Port"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"trade": "contrebande"}, "trade"),
        ({"siret": "12345"}, "siret"),
        ({"website": "pas une adresse"}, "website"),
        ({"pickup_slot_minutes": 5}, "pickup_slot_minutes"),
        ({"status": "live"}, "status"),
        ({"hours": [{"weekday": 7, "opens": "09:00", "closes": "12:00"}]}, "hours"),
        ({"hours": [{"weekday": 1, "opens": "12:00", "closes": "09:00"}]}, "hours"),
        ({"hours": [{"weekday": 1, "opens": "09:00", "closes": "12:00"},
                    {"weekday": 1, "opens": "11:00", "closes": "13:00"}]}, "hours"),
    ],
)  # fmt: skip
def test_bad_shop_changes_are_a_400_problem_and_change_nothing(client, shop, body, field):
    before = (shop.name, shop.trade, shop.status, shop.opening_hours.count())
    response = client.patch(
        reverse("api-shop"), body, content_type="application/json", **auth(key_for(shop, "write"))
    )
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert field in response.json()["errors"], response.json()
    shop.refresh_from_db()
    assert (shop.name, shop.trade, shop.status, shop.opening_hours.count()) == before


def test_a_week_of_hours_is_set_in_one_call(client, shop):
    week = [
        {"weekday": day, "opens": opens, "closes": closes}
        for day in range(1, 6)
        for opens, closes in (("09:00", "12:30"), ("14:00", "19:00"))
    ]
    response = client.patch(
        reverse("api-shop"), {"hours": week}, content_type="application/json",
        **auth(key_for(shop, "write")),
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert shop.opening_hours.count() == 10
    assert not shop.opening_hours.filter(weekday=0).exists()


def test_a_read_key_cannot_change_the_shop(client, shop):
    response = client.patch(
        reverse("api-shop"), {"description": "Pirate"}, content_type="application/json",
        **auth(key_for(shop, "read")),
    )  # fmt: skip
    assert response.status_code == 403
    shop.refresh_from_db()
    assert shop.description != "Pirate"


# --- Webhooks through the API --------------------------------------------------------------


def test_a_write_key_adds_lists_and_deletes_webhooks(client, shop, settings):
    secret = key_for(shop, "write")
    body = {"url": "https://caisse.example.fr/digitaix", "events": ["shop_order.created"]}
    created = client.post(
        reverse("api-webhooks"), body, content_type="application/json", **auth(secret)
    )
    assert created.status_code == 201, created.json()
    assert len(created.json()["secret"]) == 64
    listed = client.get(reverse("api-webhooks"), **auth(secret)).json()
    assert [row["url"] for row in listed] == [body["url"]] and "secret" not in listed[0]
    url = reverse("api-webhook", kwargs={"pk": created.json()["id"]})
    assert client.delete(url, **auth(secret)).status_code == 204
    assert not shop.webhook_endpoints.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "http://caisse.example.fr/", "events": ["shop_order.created"]}, "url"),
        ({"url": "https://caisse.example.fr/", "events": ["order.paid"]}, "events"),
        ({"url": "https://caisse.example.fr/", "events": []}, "events"),
        ({"url": "pas une adresse", "events": ["shop_order.created"]}, "url"),
    ],
)
def test_a_bad_webhook_is_a_400_problem(client, shop, body, field):
    response = client.post(
        reverse("api-webhooks"), body, content_type="application/json",
        **auth(key_for(shop, "write")),
    )  # fmt: skip
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not shop.webhook_endpoints.exists()


def test_a_read_key_cannot_add_a_webhook(client, shop):
    body = {"url": "https://caisse.example.fr/digitaix", "events": ["shop_order.created"]}
    response = client.post(
        reverse("api-webhooks"), body, content_type="application/json",
        **auth(key_for(shop, "read")),
    )  # fmt: skip
    assert response.status_code == 403


# --- Webhooks in the merchant's space ------------------------------------------------------


def test_an_owner_adds_a_webhook_whose_secret_is_shown_once(client, shop, owner):
    client.force_login(owner)
    add = reverse("merchant:api-webhook-add", kwargs={"slug": shop.code})
    body = {"url": "https://caisse.example.fr/digitaix", "events": ["shop_order.created"]}
    response = client.post(add, body, follow=True)
    endpoint = shop.webhook_endpoints.get()
    assert endpoint.secret in response.content.decode()
    assert (
        endpoint.secret
        not in client.get(reverse("merchant:api-keys", kwargs={"slug": shop.code})).content.decode()
    )
    remove = reverse("merchant:api-webhook-remove", kwargs={"slug": shop.code, "pk": endpoint.pk})
    assert client.post(remove).status_code == 302
    assert not shop.webhook_endpoints.exists()


def test_a_bad_webhook_form_says_why(client, shop, owner):
    client.force_login(owner)
    add = reverse("merchant:api-webhook-add", kwargs={"slug": shop.code})
    response = client.post(add, {"url": "ftp://caisse", "events": []})
    assert response.status_code == 400
    assert response.context["webhook_form"].errors.keys() >= {"url", "events"}
    assert not shop.webhook_endpoints.exists()


def test_members_see_webhooks_but_only_owners_change_them(client, shop):
    from shops.services.webhooks import webhook_endpoint_create

    endpoint = webhook_endpoint_create(
        shop=shop, url="https://caisse.example.fr/", events=["shop_order.created"], by=None
    )
    member = merchant_create(shop, email="member@example.fr", role="member")
    client.force_login(member)
    page = client.get(reverse("merchant:api-keys", kwargs={"slug": shop.code})).content.decode()
    assert "https://caisse.example.fr/" in page and endpoint.secret not in page
    add = reverse("merchant:api-webhook-add", kwargs={"slug": shop.code})
    assert (
        client.post(
            add, {"url": "https://x.example.fr/", "events": ["shop_order.created"]}
        ).status_code
        == 403
    )
    remove = reverse("merchant:api-webhook-remove", kwargs={"slug": shop.code, "pk": endpoint.pk})
    assert client.post(remove).status_code == 403
    assert shop.webhook_endpoints.count() == 1


def test_another_shops_delivery_cannot_be_resent(client, shop, owner):
    from shops.services.webhooks import webhook_endpoint_create

    other = ShopFactory(name="Librairie")
    endpoint = webhook_endpoint_create(
        shop=other, url="https://l.example.fr/", events=["shop_order.created"], by=None
    )
    delivery = endpoint.deliveries.create(
        event="shop_order.created", ordering_key="x", payload={}, status="failed",
        give_up_at=timezone.now(),
    )  # fmt: skip
    client.force_login(owner)
    resend = reverse("merchant:api-webhook-resend", kwargs={"slug": shop.code, "pk": delivery.pk})
    assert client.post(resend).status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == "failed"


# --- The stock feed's address through the API ----------------------------------------------


def test_a_write_key_sets_and_removes_the_stock_feed(client, shop, settings):
    settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK = True
    secret = key_for(shop, "write")
    body = {"stock_feed_url": "http://127.0.0.1:8765/stock.csv", "stock_feed_period": 15}
    response = client.patch(
        reverse("api-shop"), body, content_type="application/json", **auth(secret)
    )
    assert response.status_code == 200, response.json()
    assert response.json()["stock_feed_url"] == body["stock_feed_url"]
    assert shop.stock_feed.period == 15
    response = client.patch(
        reverse("api-shop"), {"stock_feed_url": ""}, content_type="application/json",
        **auth(secret),
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["stock_feed_url"] == ""


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/stock.csv", "http://192.168.1.10/s.csv", "file:///etc/passwd"]
)
def test_a_feed_on_a_private_address_is_refused_in_production(client, shop, settings, url):
    settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK = False
    response = client.patch(
        reverse("api-shop"), {"stock_feed_url": url}, content_type="application/json",
        **auth(key_for(shop, "write")),
    )  # fmt: skip
    assert response.status_code == 400 and "stock_feed_url" in response.json()["errors"]
    assert not StockFeed.objects.exists()


def test_a_new_feed_set_through_the_api_is_read_at_once(
    client, shop, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK = True
    body = {"stock_feed_url": "http://127.0.0.1:9/stock.csv"}  # nothing answers there
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            reverse("api-shop"), body, content_type="application/json",
            **auth(key_for(shop, "write")),
        )  # fmt: skip
    assert response.status_code == 200
    assert shop.stock_feed.runs.get().status == "failed"  # read at once, reported


def test_the_api_never_replaces_a_woocommerce_connection_silently(client, shop):
    StockFeed.objects.create(
        shop=shop, kind="woocommerce", url="https://boutique.example", woo_key="ck", woo_secret="cs"
    )
    for body in ({"stock_feed_url": "https://caisse.example/s.csv"}, {"stock_feed_period": 15}):
        response = client.patch(
            reverse("api-shop"), body, content_type="application/json",
            **auth(key_for(shop, "write")),
        )  # fmt: skip
        assert response.status_code == 400
        assert "WooCommerce" in str(response.json()["errors"])
    feed = StockFeed.objects.get(shop=shop)
    assert (feed.kind, feed.woo_secret, feed.period) == ("woocommerce", "cs", 60)
