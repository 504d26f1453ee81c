"""The town staff's home (/gestion/): what waits for a decision (shops with what they lack,
identity changes, reviews), what the town withdrew, today's deliveries and alerts, and the
portal's headline figures; each block with its count and links; empty states; a query count
that does not grow with the town. The moment is frozen on a Wednesday computed from today."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from delivery.models import DispatchAlert, Round, Slot
from orders.models import ShopOrder
from shops.services import product_moderate
from tests.delivery import courier
from tests.factories import (
    OpeningHoursFactory,
    ShopFactory,
    commerce_staff_create,
    merchant_create,
    product_offered,
    shop_order_placed,
)

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
ProductReview = get_model("reviews", "ProductReview")
ShopIdentityChange = get_model("partner", "ShopIdentityChange")
HOME = "/gestion/"
# Every block read, whatever the number of shops, orders, slots (session and user included).
QUERY_BUDGET = 22


def next_wednesday_noon() -> datetime.datetime:
    """Noon, town time, on the first Wednesday after today: Monday is two days before."""
    today = timezone.localdate()
    days = (2 - today.weekday()) % 7 or 7
    noon = datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(12))
    return timezone.make_aware(noon)


@pytest.fixture
def wednesday():
    moment = next_wednesday_noon()
    with time_machine.travel(moment, tick=False):
        yield moment


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff():
    return commerce_staff_create()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def town(staff, now: datetime.datetime, *, n: int = 1) -> dict:
    """`n` of everything the home shows, around `now`."""
    live = ShopFactory(name="Fromagerie du Lac")
    OpeningHoursFactory(shop=live)
    product_offered(title="Comté", shop=live)
    pending = []
    for i in range(n):
        shop = ShopFactory(name=f"En attente {i}", status="pending", offers_click_collect=False)
        merchant_create(shop, email=f"attente{i}@example.fr")
        pending.append(shop)
        identity_shop = ShopFactory(name=f"Rebaptisée {i}")
        ShopIdentityChange.objects.create(
            shop=identity_shop, before={"name": identity_shop.name}, after={"name": f"Neuve {i}"}
        )
        withdrawn = product_offered(title=f"Contrefaçon {i}", shop=live)
        # (A review saves its product's rating: written before the withdrawal it would undo.)
        ProductReview.objects.create(product=withdrawn, title="Bof", score=2, body="…", name="X")
        product_moderate(product=withdrawn, by=staff, action="withdraw", reason="Marque copiée")
        shop_order_placed(live, when=now - datetime.timedelta(hours=1))
        slot = Slot.objects.create(
            kind=Slot.Kind.DELIVERY,
            start=now + datetime.timedelta(hours=5, minutes=i),
            end=now + datetime.timedelta(hours=6, minutes=i),
            capacity=10,
            booked=3,
        )
        Round.objects.create(slot=slot, courier=courier(f"livreur{i}@example.fr"))
        DispatchAlert.objects.create(slot=slot, message=f"Pas de livreur pour 3 commandes ({i})")
    return {"live": live, "pending": pending}


# --- Who opens it ---------------------------------------------------------------------------


def test_only_the_town_staff_open_their_home(client):
    assert client.get(HOME)["Location"].startswith(reverse("dashboard:login"))
    client.force_login(merchant_create(ShopFactory()))
    assert client.get(HOME).status_code == 403


# --- Empty --------------------------------------------------------------------------------


def test_an_empty_town_says_so_in_every_block(staff_client, wednesday):
    response = staff_client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    for empty in (
        "Aucune boutique en attente.",
        "Aucune modification en attente.",
        "Aucun produit retiré.",
        "Aucun créneau de livraison aujourd",
    ):
        assert empty in html
    figures = response.context["figures"]
    assert (figures["shops_live"], figures["products_online"]) == (0, 0)
    assert (figures["orders"].today, figures["orders"].week) == (0, 0)
    assert figures["orders"].week_sales == Decimal("0.00")


# --- Each block -----------------------------------------------------------------------------


def test_shops_waiting_come_oldest_first_with_what_they_lack(staff_client, wednesday):
    first = ShopFactory(name="Première", status="pending", offers_click_collect=False)
    second = ShopFactory(name="Seconde", status="pending", siret="73282932000074")
    product_offered(title="Pain", shop=second)
    OpeningHoursFactory(shop=second)
    unverified = ShopFactory(name="Adresse non prouvée", status="pending")
    for shop in (first, second):
        merchant_create(shop)
    stranger = get_user_model().objects.create_user("u", "u@example.fr", "x")
    # Its merchant never opened the e-mail's link: not in the town's queue yet.
    unverified.users.add(stranger, through_defaults={"role": "owner"})

    response = staff_client.get(HOME)
    assert [shop.name for shop in response.context["pending_shops"]] == ["Première", "Seconde"]
    assert response.context["pending_count"] == 2
    gaps = {shop.name: [g.key for g in shop.gaps] for shop in response.context["pending_shops"]}
    assert gaps == {
        "Première": ["products", "hours", "services", "logo", "siret"],
        "Seconde": ["logo"],
    }
    html = response.content.decode()
    assert reverse("moderation:shop", kwargs={"pk": first.pk}) in html
    assert "Aucun produit en ligne" in html and "Ni retrait en boutique ni livraison" in html
    assert "Adresse non prouvée" not in html


def test_every_block_shows_its_count_rows_and_links(staff, staff_client, wednesday):
    world = town(staff, wednesday, n=1)
    response = staff_client.get(HOME)
    ctx, html = response.context, response.content.decode()

    assert ctx["identity_count"] == 1 and "Rebaptisée 0" in html
    change = ShopIdentityChange.objects.get()
    assert reverse("moderation:identity-change", kwargs={"pk": change.pk}) in html
    assert ctx["withdrawn_count"] == 1
    assert "Contrefaçon 0" in html and "Marque copiée" in html
    assert ctx["reviews_count"] == 1 and reverse("review-moderation:list") in html
    delivery = ctx["delivery"]
    assert (len(delivery.slots), delivery.rounds, len(delivery.alerts)) == (1, 1, 1)
    assert "Pas de livreur pour 3 commandes (0)" in html and "3 / 10 réservations" in html
    assert ctx["figures"]["shops_live"] == 2  # the cheese shop, and the one being renamed
    assert ctx["figures"]["products_online"] == 1  # Comté; the withdrawn one is not
    for name in ("moderation:queue", "moderation:products", "delivery-board:index"):
        assert reverse(name) in html
    assert reverse("console:index") in html
    assert world["pending"][0].name in html


def test_orders_today_this_week_and_the_weeks_sales(staff_client, wednesday):
    shop = ShopFactory()
    monday_morning = wednesday - datetime.timedelta(days=2, hours=3)
    shop_order_placed(shop, when=wednesday - datetime.timedelta(hours=2), total="12.50")
    shop_order_placed(shop, when=monday_morning, total="30.00")
    shop_order_placed(shop, when=monday_morning, total="99.00", status=ShopOrder.Status.CANCELLED)
    shop_order_placed(shop, when=wednesday - datetime.timedelta(days=3), total="500.00")  # Sunday

    response = staff_client.get(HOME)
    orders = response.context["figures"]["orders"]
    assert (orders.today, orders.week) == (1, 3)
    assert orders.week_sales == Decimal("42.50")  # the cancelled one sold nothing
    assert orders.week_start == timezone.localdate(wednesday) - datetime.timedelta(days=2)
    assert 'data-figure="sales-week">42,50' in response.content.decode()


def test_today_is_the_town_days_deliveries_only(staff_client, wednesday):
    tomorrow = wednesday + datetime.timedelta(days=1)
    Slot.objects.create(
        kind=Slot.Kind.DELIVERY, start=tomorrow, end=tomorrow + datetime.timedelta(hours=1),
        capacity=5,
    )  # fmt: skip
    assert staff_client.get(HOME).context["delivery"].slots == []


# --- Queries --------------------------------------------------------------------------------


def test_the_home_reads_a_fixed_number_of_queries_whatever_the_town(
    staff, staff_client, wednesday, django_assert_max_num_queries
):
    town(staff, wednesday, n=1)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(HOME)
    _grow(staff, wednesday, n=8)
    with django_assert_max_num_queries(QUERY_BUDGET) as large:
        response = staff_client.get(HOME)
    assert len(large) == len(small)
    assert response.context["pending_count"] == 9 and len(response.context["pending_shops"]) == 5


def _grow(staff, now, *, n: int) -> None:
    """`n` more pending shops, identity changes, withdrawn products, orders and slots."""
    for i in range(n):
        shop = ShopFactory(name=f"Encore {i}", status="pending")
        merchant_create(shop, email=f"encore{i}@example.fr")
        renamed = ShopFactory(name=f"Renommée {i}")
        ShopIdentityChange.objects.create(shop=renamed, after={"name": f"Autre {i}"})
        product = product_offered(title=f"Retiré {i}", shop=renamed)
        product_moderate(product=product, by=staff, action="withdraw", reason="Interdit")
        shop_order_placed(renamed, when=now - datetime.timedelta(minutes=i + 1))
        slot = Slot.objects.create(
            kind=Slot.Kind.DELIVERY,
            start=now + datetime.timedelta(hours=1, minutes=10 * i + 1),
            end=now + datetime.timedelta(hours=2, minutes=10 * i + 1),
            capacity=10,
        )
        Round.objects.create(slot=slot, courier=courier(f"encore{i}@livreurs.fr"))
        DispatchAlert.objects.create(slot=slot, message="Trop de colis")
