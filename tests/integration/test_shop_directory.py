"""The shop directory's queries: live shops only, filters, open now in the database."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from oscar.core.loading import get_model

from shops import selectors
from tests.factories import (
    ClosingPeriodFactory,
    OpeningHoursFactory,
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    product_offered,
    week_hours,
)

pytestmark = pytest.mark.django_db
OpeningHours = get_model("partner", "OpeningHours")
PARIS = ZoneInfo("Europe/Paris")


def _next_tuesday() -> datetime.date:
    """The coming Tuesday, computed from today (never a clock change: those fall on Sundays)."""
    today = datetime.datetime.now(PARIS).date()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


TUESDAY = _next_tuesday()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def names(qs) -> list[str]:
    return [shop.name for shop in qs]


def test_a_span_cannot_end_at_midnight_nor_before_it_opens():
    shop = ShopFactory()
    for opens, closes in ((datetime.time(18), datetime.time(0)), (datetime.time(9),) * 2):
        with pytest.raises(IntegrityError), transaction.atomic():
            OpeningHours.objects.create(shop=shop, weekday=4, opens=opens, closes=closes)


def test_open_at_follows_spans_lunch_breaks_and_closures():
    bakery = ShopFactory(name="Boulangerie")
    week_hours(bakery)
    on_holiday = ShopFactory(name="Fleuriste en congés")
    week_hours(on_holiday)
    ClosingPeriodFactory(shop=on_holiday, starts_on=TUESDAY, ends_on=TUESDAY)
    late = ShopFactory(name="Cave")
    OpeningHoursFactory(shop=late, weekday=1, opens=datetime.time(16), closes=datetime.time(23))
    shops = selectors.shops_online().order_by("name")
    assert names(selectors.shops_open_at(shops, at(TUESDAY, 10))) == ["Boulangerie"]
    assert names(selectors.shops_open_at(shops, at(TUESDAY, 12, 30))) == []
    assert names(selectors.shops_open_at(shops, at(TUESDAY, 17))) == ["Boulangerie", "Cave"]
    assert names(selectors.shops_open_at(shops, at(TUESDAY, 19))) == ["Cave"]
    assert names(selectors.shops_open_at(shops, at(TUESDAY + datetime.timedelta(days=5), 10))) == []
    # The next morning at 10 h in Paris, given in UTC (8 or 9 h there, season depending).
    utc_morning = at(TUESDAY + datetime.timedelta(days=1), 10).astimezone(datetime.UTC)
    assert "Fleuriste en congés" in names(selectors.shops_open_at(shops, utc_morning))


def test_directory_lists_live_shops_only_with_their_products_on_sale():
    shop = ShopFactory(name="Fromagerie du Lac", trade="fromagerie")
    for status in ("pending", "suspended", "rejected"):
        ShopFactory(name=f"Boutique {status}", status=status)
    product_offered(title="Comté", shop=shop)
    product_offered(title="Brie", shop=shop)
    StockRecordFactory(product=ProductFactory(is_public=False), partner=shop)
    shops = list(selectors.shops_directory())
    assert names(shops) == ["Fromagerie du Lac"]
    selectors.shops_product_counts_attach(shops)
    assert shops[0].product_count == 2


def test_directory_filters_by_trade_services_and_opening():
    bakery = ShopFactory(name="Boulangerie", trade="boulangerie", offers_delivery=True)
    week_hours(bakery)
    ShopFactory(name="Librairie", trade="librairie", offers_click_collect=False)
    assert names(selectors.shops_directory(trade="librairie")) == ["Librairie"]
    assert names(selectors.shops_directory(delivery=True)) == ["Boulangerie"]
    assert names(selectors.shops_directory(click_collect=True)) == ["Boulangerie"]
    assert names(selectors.shops_directory(open_now=True, when=at(TUESDAY, 10))) == ["Boulangerie"]
    assert names(selectors.shops_directory(open_now=True, when=at(TUESDAY, 13))) == []


def test_name_search_ignores_case_and_accents():
    ShopFactory(name="Épicerie Sophie", trade="epicerie", description="")
    ShopFactory(name="L'Œil du Libraire", trade="librairie", description="")
    ShopFactory(name="Boucherie Martin", trade="boucherie", description="")
    assert names(selectors.shops_directory(query="epicerie")) == ["Épicerie Sophie"]
    assert names(selectors.shops_directory(query="SOPHIE épi")) == ["Épicerie Sophie"]
    assert names(selectors.shops_directory(query="libraire")) == ["L'Œil du Libraire"]
    assert names(selectors.shops_directory(query="fromage")) == []
