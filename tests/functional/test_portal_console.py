"""The town's console /dashboard/portail/: the portal's figures for the commerce staff.

Staff see shops by status, shops registered against shops actually selling, products online,
orders and sales per week, delivery figures and a sortable per-shop table with its CSV
export; merchants and residents are refused; the page's query count does not grow with the
town; the daily snapshot behind the growth chart is taken once per day however often it runs.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from digitaix.console import selectors as console
from orders.models import ShopOrder, ShopOrderEvent
from shops.tasks import take_portal_snapshot
from tests.factories import (
    ShopFactory,
    commerce_staff_create,
    merchant_create,
    product_offered,
)

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
PortalSnapshot = get_model("partner", "PortalSnapshot")
URL = reverse("console:index")
#: Session, user, permissions, then the page's own aggregates: the same for 2 or 12 shops.
QUERY_BUDGET = 20  # 19 for the figures (the stale stocks: 1), 1 for the second-factor device


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_client(client):
    client.force_login(commerce_staff_create())
    return client


def shop_order_create(
    shop,
    *,
    total="20.00",
    status=ShopOrder.Status.NEW,
    days_ago=0,
    fulfilment=ShopOrder.Fulfilment.CLICK_COLLECT,
    slot_end=None,
):
    """A placed order with one shop order for `shop`, `days_ago` days ago (no checkout: the
    console only reads orders, whatever made them)."""
    when = timezone.now() - datetime.timedelta(days=days_ago)
    number = f"T{Order.objects.count() + 1:06d}"
    order = Order.objects.create(
        number=number,
        currency="EUR",
        total_incl_tax=Decimal(total),
        total_excl_tax=Decimal(total),
        date_placed=when,
    )
    start = slot_end - datetime.timedelta(minutes=30) if slot_end else None
    return ShopOrder.objects.create(
        order=order,
        shop=shop,
        number=f"{number}-1",
        status=status,
        fulfilment=fulfilment,
        lines_total=Decimal(total),
        total=Decimal(total),
        created_at=when,
        slot_start=start,
        slot_end=slot_end,
    )


def delivered(shop, *, late_minutes: int, reason=""):
    """A delivered shop order whose `delivered` event comes `late_minutes` after its slot."""
    slot_end = timezone.now() - datetime.timedelta(days=1)
    shop_order = shop_order_create(
        shop,
        status=ShopOrder.Status.DELIVERED,
        fulfilment=ShopOrder.Fulfilment.DELIVERY,
        days_ago=2,
        slot_end=slot_end,
    )
    ShopOrderEvent.objects.create(
        shop_order=shop_order,
        from_status=ShopOrder.Status.HANDED_TO_COURIER,
        to_status=ShopOrder.Status.DELIVERED,
        created_at=slot_end + datetime.timedelta(minutes=late_minutes),
    )
    return shop_order


def town(*, shops: int = 2) -> list:
    """`shops` live shops, each with a product online and orders, plus a pending shop."""
    made = []
    for i in range(shops):
        shop = ShopFactory(name=f"Boutique {i:02d}")
        product_offered(title=f"Produit {i}", shop=shop)
        shop_order_create(shop, total=f"{10 + i}.00", days_ago=i % 20)
        shop_order_create(shop, total="5.00", days_ago=40)
        made.append(shop)
    delivered(made[0], late_minutes=-5)
    ShopFactory(name="En attente", status="pending")
    return made


# --- Who may open it -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_dashboard_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("dashboard:login") in response["Location"]


def test_merchants_and_residents_are_refused(client):
    shop = ShopFactory()
    merchant = merchant_create(shop)
    resident = get_user_model().objects.create_user("camille", "camille@example.fr", "x")

    for user in (merchant, resident):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(URL, {"format": "csv"}).status_code == 403


def test_the_console_is_in_the_staff_menu(staff_client):
    html = staff_client.get(reverse("moderation:queue")).content.decode()

    assert URL in html
    assert "Chiffres du portail" in html


# --- The figures -----------------------------------------------------------------------------


def test_staff_see_shops_by_status_and_products_online(staff_client):
    live = ShopFactory(name="Fromagerie du Lac")
    product_offered(title="Comté", shop=live)
    product_offered(title="Beaufort", shop=live)
    withdrawn = product_offered(title="Reblochon", shop=live)
    withdrawn.stockrecords.update(is_on_sale=False)
    suspended = ShopFactory(name="Fermée", status="suspended")
    product_offered(title="Invisible", shop=suspended)
    ShopFactory(status="pending")

    response = staff_client.get(URL)
    headline = response.context["headline"]
    html = response.content.decode()

    assert response.status_code == 200
    assert headline["shops_registered"] == 3
    assert headline["shops_live"] == 1
    assert headline["products_online"] == 2  # the home page's counter: same definition
    assert {s["value"]: s["count"] for s in headline["statuses"]} == {
        "pending": 1,
        "live": 1,
        "rejected": 0,
        "suspended": 1,
    }
    assert 'data-figure="products-online">2<' in html
    rows = {shop.name: shop.products_online for shop in response.context["page_obj"]}
    assert rows["Fromagerie du Lac"] == 2 and rows["Fermée"] == 0


def test_a_shop_sells_only_with_an_order_in_the_last_30_days(staff_client):
    recent, old = ShopFactory(), ShopFactory()
    ShopFactory()  # never ordered
    shop_order_create(recent, days_ago=29)
    shop_order_create(old, days_ago=31)

    headline = staff_client.get(URL).context["headline"]

    assert headline["shops_live"] == 3
    assert headline["shops_selling"] == 1
    assert headline["shops_live_selling"] == 1


def test_sales_leave_out_refused_and_cancelled_shop_orders(staff_client):
    shop = ShopFactory(name="Librairie")
    shop_order_create(shop, total="30.00")
    shop_order_create(shop, total="7.50", status=ShopOrder.Status.COLLECTED)
    shop_order_create(shop, total="99.00", status=ShopOrder.Status.REFUSED)
    shop_order_create(shop, total="50.00", status=ShopOrder.Status.CANCELLED)

    response = staff_client.get(URL)
    row = next(iter(response.context["page_obj"]))
    weeks = console.console_weekly()

    assert row.orders_recent == 4
    assert row.sales_recent == Decimal("37.50")
    assert len(weeks) == 12
    assert weeks[-1]["orders"] == 4
    assert weeks[-1]["sales"] == Decimal("37.50")
    assert [w["orders"] for w in weeks[:-1]] == [0] * 11


def test_orders_and_sales_fall_in_their_iso_week(staff_client):
    shop = ShopFactory()
    now = timezone.now()
    monday = timezone.localdate(now) - datetime.timedelta(days=timezone.localdate(now).weekday())
    days_into_week = (timezone.localdate(now) - monday).days
    shop_order_create(shop, total="12.00", days_ago=days_into_week + 7)  # last week
    shop_order_create(shop, total="8.00", days_ago=100)  # out of the 12 weeks

    weeks = console.console_weekly(now=now)

    assert weeks[-2]["week"] == monday - datetime.timedelta(weeks=1)
    assert weeks[-2]["orders"] == 1 and weeks[-2]["sales"] == Decimal("12.00")
    assert sum(w["orders"] for w in weeks) == 1


def test_the_on_time_rate_counts_deliveries_by_the_end_of_their_slot(staff_client):
    shop = ShopFactory(name="Caviste")
    delivered(shop, late_minutes=-10)
    delivered(shop, late_minutes=0)
    delivered(shop, late_minutes=25)
    failed = shop_order_create(
        shop, status=ShopOrder.Status.DELIVERY_FAILED, fulfilment=ShopOrder.Fulfilment.DELIVERY
    )
    ShopOrderEvent.objects.create(
        shop_order=failed,
        from_status=ShopOrder.Status.HANDED_TO_COURIER,
        to_status=ShopOrder.Status.DELIVERY_FAILED,
        reason="Absent au rendez-vous",
    )

    response = staff_client.get(URL)
    figures = response.context["delivery"]
    html = response.content.decode()

    assert (figures["delivered"], figures["on_time"], figures["failed"]) == (3, 2, 1)
    assert figures["on_time_percent"] == 67
    assert "67 % (2 sur 3)" in html
    assert "Absent au rendez-vous" in html and failed.number in html


def test_the_charts_are_drawn_on_the_server_with_their_figures_in_a_table(staff_client):
    town(shops=2)
    PortalSnapshot.objects.create(day=timezone.localdate(), products_online=2, shops_live=2)

    html = staff_client.get(URL).content.decode()

    assert html.count('role="img"') == 3
    assert "<title>Produits en ligne, relevé quotidien (90 jours)</title>" in html
    assert "<summary>Voir les données du graphique</summary>" in html
    assert "<script" not in html.split('id="console-charts"')[1].split('id="console-table"')[0]


# --- The per-shop table ----------------------------------------------------------------------


def test_the_shop_table_sorts_by_any_column_both_ways(staff_client):
    ShopFactory(name="Arcades")
    b, c = ShopFactory(name="Bazar"), ShopFactory(name="Cordes")
    shop_order_create(b, total="50.00")
    shop_order_create(c, total="20.00")

    def names(**params):
        page = staff_client.get(URL, params).context["page_obj"]
        return [shop.name for shop in page]

    assert names() == ["Bazar", "Cordes", "Arcades"]  # default: sales, highest first
    assert names(sort="name", dir="asc") == ["Arcades", "Bazar", "Cordes"]
    assert names(sort="name", dir="desc") == ["Cordes", "Bazar", "Arcades"]
    assert names(sort="sales", dir="asc") == ["Arcades", "Cordes", "Bazar"]
    assert names(sort="last_order", dir="desc")[-1] == "Arcades"  # never ordered: last
    assert names(sort="orders", dir="desc")[-1] == "Arcades"


def test_an_unknown_sort_shows_the_default_order_not_an_error(staff_client):
    ShopFactory(name="Arcades")
    shop_order_create(ShopFactory(name="Bazar"), total="9.00")

    response = staff_client.get(URL, {"sort": "siret; drop table", "dir": "sideways"})

    assert response.status_code == 200
    assert [s.name for s in response.context["page_obj"]] == ["Bazar", "Arcades"]


def test_the_table_is_paginated_by_50(staff_client):
    for i in range(51):
        ShopFactory(name=f"Boutique {i:02d}")

    first = staff_client.get(URL, {"sort": "name"})
    second = staff_client.get(URL, {"sort": "name", "page": 2})

    assert len(first.context["page_obj"]) == 50
    assert [s.name for s in second.context["page_obj"]] == ["Boutique 50"]


def test_the_csv_export_holds_the_whole_sorted_table_for_excel(staff_client, monkeypatch):
    monkeypatch.setattr("digitaix.console.views.PAGE_SIZE", 1)
    ShopFactory(name="Arcades")
    bazar = ShopFactory(name="=Bazar", status="suspended")
    shop_order_create(bazar, total="1234.50")

    response = staff_client.get(URL, {"sort": "name", "dir": "desc", "format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    lines = body.split("\r\n")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert body.startswith("\ufeff")
    assert lines[0] == (
        "\ufeffBoutique;Statut;Produits en ligne;Commandes (30 jours);"
        "Ventes (30 jours, €);Dernière commande"
    )
    assert lines[1].startswith("'=Bazar;Suspendue;0;1;1234,50;")  # no formula for Excel
    assert lines[2] == "Arcades;En ligne;0;0;0,00;"
    assert lines[3] == ""


# --- The daily snapshot ----------------------------------------------------------------------


def test_the_snapshot_task_run_twice_keeps_one_row_per_day(eager_celery):
    shop = ShopFactory()
    product_offered(title="Pain", shop=shop)
    shop_order_create(shop)

    take_portal_snapshot.delay()
    product_offered(title="Brioche", shop=shop)
    take_portal_snapshot.delay()
    take_portal_snapshot.delay(day=(timezone.localdate() - datetime.timedelta(days=30)).isoformat())

    today = PortalSnapshot.objects.get(day=timezone.localdate())
    assert PortalSnapshot.objects.count() == 2
    assert (today.shops_live, today.shops_selling, today.products_online) == (1, 1, 2)


def test_the_growth_chart_reads_the_last_90_days_of_snapshots(staff_client):
    today = timezone.localdate()
    for days_ago, products in ((120, 500), (89, 1000), (0, 4154)):
        PortalSnapshot.objects.create(
            day=today - datetime.timedelta(days=days_ago), products_online=products
        )

    chart = staff_client.get(URL).context["charts"][0]

    assert [value for _label, value in chart.rows] == ["1\u202f000", "4\u202f154"]


# --- Query budget ----------------------------------------------------------------------------


@pytest.mark.parametrize("shops", [2, 12])
def test_the_console_runs_the_same_number_of_queries_whatever_the_town(
    staff_client, django_assert_max_num_queries, shops
):
    town(shops=shops)
    PortalSnapshot.objects.create(day=timezone.localdate(), products_online=shops)
    staff_client.get(URL)  # warm the session and the menu's permission caches

    with django_assert_max_num_queries(QUERY_BUDGET):
        response = staff_client.get(URL)

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == shops + 1


def test_the_demo_backfill_grows_to_todays_figures_and_keeps_real_days(staff_client):
    from django.core.management import call_command

    shop = ShopFactory()
    for i in range(40):
        product_offered(title=f"Produit {i}", shop=shop)
    real_day = timezone.localdate() - datetime.timedelta(days=10)
    PortalSnapshot.objects.create(day=real_day, products_online=7)

    call_command("portal_snapshots_backfill", days=30, verbosity=0)
    call_command("portal_snapshots_backfill", days=30, verbosity=0)

    values = list(PortalSnapshot.objects.values_list("day", "products_online"))
    assert len(values) == 30
    assert dict(values)[real_day] == 7  # a recorded day is never rewritten
    assert values[0][1] < values[-1][1] == 40


# --- Shops whose stock went stale --------------------------------------------------------------


def test_the_console_lists_live_shops_whose_stock_no_source_confirmed_for_7_days(staff_client):
    now = timezone.now()
    stale = ShopFactory(name="Fromagerie endormie")
    stale_offer = product_offered(title="Tomme", shop=stale).stockrecords.get()
    fresh = ShopFactory(name="Boulangerie à jour")
    product_offered(title="Pain", shop=fresh)
    via_date = ShopFactory(name="Librairie jamais synchronisée")
    via_date_offer = product_offered(title="Livre", shop=via_date).stockrecords.get()
    hidden = ShopFactory(name="Boutique suspendue", status="suspended")
    product_offered(title="Vase", shop=hidden)
    ShopFactory(name="Boutique vide")  # no offer: nothing to keep up to date
    StockRecord = get_model("partner", "StockRecord")
    StockRecord.objects.filter(pk=stale_offer.pk).update(
        stock_source="feed", stock_synced_at=now - datetime.timedelta(days=9)
    )
    StockRecord.objects.filter(partner=fresh).update(
        stock_source="api", stock_synced_at=now - datetime.timedelta(days=6, hours=23)
    )
    StockRecord.objects.filter(pk=via_date_offer.pk).update(
        stock_synced_at=None, date_updated=now - datetime.timedelta(days=30)
    )
    StockRecord.objects.filter(partner=hidden).update(
        stock_synced_at=now - datetime.timedelta(days=30)
    )
    StockFeed = get_model("partner", "StockFeed")
    StockFeed.objects.create(
        shop=stale, url="https://caisse.example/stock.csv", consecutive_failures=4
    )

    response = staff_client.get(URL)

    table = response.content.decode().split("data-stale-shops")[1].split("</table>")[0]
    assert table.index("Librairie jamais synchronisée") < table.index("Fromagerie endormie")
    assert "Fichier (CSV ou JSON) · 4 échecs de suite" in table
    for name in ("Boulangerie à jour", "Boutique suspendue", "Boutique vide"):
        assert name not in table
    assert "2 boutiques en ligne" in table


def test_the_console_says_when_every_shop_kept_its_stock_up_to_date(staff_client):
    product_offered(title="Pain", shop=ShopFactory(name="Boulangerie"))  # synced just now

    response = staff_client.get(URL)

    assert b"data-stale-none" in response.content
    assert b"data-stale-shops" not in response.content
