"""Signing up a merchant, opening shops, their hours, and the onboarding checklist."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from messaging.models import OutboxMessage
from messaging.services import message_send
from shops.onboarding import (
    merchant_signup,
    shop_checklist,
    shop_code_free,
    shop_create,
)
from shops.selectors import merchant_shops_onboarding
from shops.services.hours import hours_overlaps, shop_week_hours_set
from tests.factories import (
    ClosingPeriodFactory,
    ShopFactory,
    merchant_create,
    product_offered,
    week_hours,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
Partner = get_model("partner", "Partner")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")

SIRET = "73282932000074"


def shop_fields(**overrides) -> dict:
    fields = {
        "name": "Fromagerie du Lac",
        "trade": "fromagerie",
        "siret": SIRET,
        "address_line": "3 place du Marché",
        "postcode": "74000",
        "city": "Annecy",
        "phone": "04 50 00 00 00",
        "offers_click_collect": True,
        "offers_delivery": False,
    }
    return fields | overrides


def signup(**overrides):
    account = {
        "first_name": "Élise",
        "last_name": "Martin",
        "email": "Elise@Example.FR",
        "password": "fromage-de-savoie-42",
        "shop_fields": shop_fields(),
    }
    return merchant_signup(**(account | overrides))


def test_signup_creates_a_merchant_and_a_pending_shop_and_mails_once_after_commit(
    eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user, shop = signup()
    assert user.email == "Elise@example.fr" and user.check_password("fromage-de-savoie-42")
    assert (user.first_name, user.last_name) == ("Élise", "Martin")
    assert shop.status == "pending" and shop.code == "fromagerie-du-lac"
    assert list(shop.users.all()) == [user]
    assert User.objects.get(pk=user.pk).has_perm("partner.dashboard_access")
    assert len(mail.outbox) == 2  # the shop's, and the link proving the address
    message = next(m for m in mail.outbox if "validation" in m.subject)
    assert message.to == ["Elise@example.fr"]
    assert "en attente de validation" in message.subject
    assert "Fromagerie du Lac" in message.body and "validation de la mairie" in message.body
    assert f"{settings.DIGITAIX_SITE_URL}/ma-boutique/fromagerie-du-lac/" in message.body
    assert message.alternatives[0][1] == "text/html"
    # A retried task sends nothing more.
    assert message_send(message_id=OutboxMessage.objects.get(kind="shop_created").pk) is False
    assert len(mail.outbox) == 2


def test_no_mail_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signup()
    # The two messages' hand-overs (and the public pages' version, catalog/pagecache.py).
    handovers = [c for c in callbacks if "message_enqueue" in repr(c)]
    assert len(handovers) == 2 and mail.outbox == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"shop_fields": shop_fields(siret="73282932000075")}, "clé de contrôle"),
        ({"password": "1234"}, "trop court"),
    ],
)
def test_bad_signup_creates_nothing(overrides, message, django_capture_on_commit_callbacks):
    users, shops = User.objects.count(), Partner.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as e:
        signup(**overrides)
    assert message in " ".join(e.value.messages)
    assert (User.objects.count(), Partner.objects.count()) == (users, shops)
    assert mail.outbox == []


def test_shop_codes_get_a_number_when_the_name_is_taken():
    ShopFactory(name="Fromagerie du Lac", code="fromagerie-du-lac")
    ShopFactory(name="Fromagerie du Lac bis", code="fromagerie-du-lac-bis")
    user = merchant_create()
    second = shop_create(user=user, fields=shop_fields())
    third = shop_create(user=user, fields=shop_fields(name="Fromagerie  du lac !"))
    assert (second.code, third.code) == ("fromagerie-du-lac-2", "fromagerie-du-lac-3")
    assert shop_code_free("???") == "boutique"


def test_shop_create_refuses_fields_a_merchant_may_not_set():
    with pytest.raises(ValueError):
        shop_create(user=merchant_create(), fields=shop_fields(status="live"))
    assert not Partner.objects.exists()


def test_checklist_items_flip_as_the_shop_is_completed():
    shop = ShopFactory(status="pending", offers_click_collect=False, offers_delivery=False)
    merchant_create(shop)

    def state() -> dict:
        return {item.key: item.done for item in shop_checklist(shop)}

    assert state() == dict.fromkeys(
        ["profile", "logo", "hours", "product", "services", "status"], False
    )
    pending = shop_checklist(shop)[-1]
    assert "attente de validation par la mairie" in pending.detail
    profile = shop_checklist(shop)[0]
    assert "présentation, adresse" in profile.detail and "SIRET" in profile.detail

    for field, value in {
        "description": "Affineur depuis 1962.",
        "address_line": "3 place du Marché",
        "postcode": "74000",
        "city": "Annecy",
        "phone": "04 50 00 00 00",
        "siret": SIRET,
        "logo": "shops/logos/lac.png",
        "offers_delivery": True,
        "status": "live",
    }.items():
        setattr(shop, field, value)
    shop.save()
    week_hours(shop)
    product_offered(title=f"Tomme {shop.pk}", shop=shop)
    assert all(state().values())
    live = shop_checklist(shop)[-1]
    assert live.url == f"/boutiques/{shop.code}/"

    shop.status, shop.status_reason = "suspended", "Produits interdits"
    assert shop_checklist(shop)[-1].detail == "Produits interdits"
    assert not shop_checklist(shop)[-1].done


def test_checklist_runs_one_query_for_any_number_of_shops(django_assert_num_queries):
    def measure(n: int):
        shops = [ShopFactory() for _ in range(n)]
        for shop in shops:
            week_hours(shop, days=[0])
            product_offered(title=f"Tomme {shop.pk}", shop=shop)
        user = merchant_create(*shops)
        with django_assert_num_queries(1):
            lists = [shop_checklist(s) for s in merchant_shops_onboarding(user=user)]
        assert len(lists) == n and all(lists[0][2].done for _ in lists)

    measure(1)
    measure(3)


def test_the_week_is_replaced_whole_and_closures_kept():
    shop = ShopFactory()
    week_hours(shop)
    closure = ClosingPeriodFactory(shop=shop)
    t = datetime.time
    shop_week_hours_set(shop=shop, week={5: [(t(14), t(19)), (t(9), t(12))], 6: []})
    assert [str(h) for h in OpeningHours.objects.filter(shop=shop)] == [
        "Samedi 09:00–12:00",
        "Samedi 14:00–19:00",
    ]
    assert list(ClosingPeriod.objects.filter(shop=shop)) == [closure]


H9, H12 = datetime.time(9), datetime.time(12)


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ({0: [(H9, H12), (datetime.time(11), datetime.time(14))]}, "chevauchent"),
        ({0: [(H12, H9)]}, "ferme avant d'ouvrir"),
        ({7: [(H9, H12)]}, "Jour inconnu"),
    ],
)
def test_a_bad_week_is_refused_and_nothing_changes(week, message):
    shop = ShopFactory()
    week_hours(shop)
    before = list(OpeningHours.objects.filter(shop=shop).values_list("weekday", "opens"))
    with pytest.raises(ValidationError) as error:
        shop_week_hours_set(shop=shop, week=week)
    assert message in error.value.messages[0]
    after = list(OpeningHours.objects.filter(shop=shop).values_list("weekday", "opens"))
    assert after == before


def test_a_shop_code_never_shadows_the_merchant_spaces_own_paths():
    assert shop_code_free("Commandes") == "commandes-2"
    assert shop_code_free("Paiements") == "paiements-2"


def test_overlaps_are_found_even_behind_a_long_span():
    t = datetime.time
    spans = [(0, t(9), t(19)), (0, t(10), t(11)), (0, t(12), t(13)), (1, t(12), t(13))]
    assert len(hours_overlaps(spans)) == 2
    assert hours_overlaps([(0, t(9), t(12)), (0, t(12), t(19)), (1, t(9), t(12))]) == []
