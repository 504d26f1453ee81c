"""The merchant's hours page: the week as one grid saved once, the exceptional closures, and
the storefront's "ouvert" following them (at moments frozen with time-machine)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shops.hours import opening_status
from shops.selectors import shops_open_at
from tests.factories import ClosingPeriodFactory, ShopFactory, merchant_create, week_hours

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")

TUESDAY = 1
TUESDAY_TO_SATURDAY = range(1, 6)


@pytest.fixture
def shop():
    return ShopFactory(name="Boulangerie du Port", code="boulangerie-du-port", status="live")


@pytest.fixture
def merchant(client, shop):
    user = merchant_create(shop, email="paul@example.fr")
    client.force_login(user)
    return user


def hours_url(shop) -> str:
    return reverse("merchant:hours", kwargs={"slug": shop.code})


def closures_url(shop) -> str:
    return reverse("merchant:closures", kwargs={"slug": shop.code})


def grid(days: dict | None = None) -> dict:
    """The grid's POST: each day closed unless `days` gives its spans ((opens, closes), …)."""
    data = {}
    for day in range(7):
        spans = (days or {}).get(day)
        if not spans:
            data[f"d{day}-closed"] = "on"
            continue
        for n, (opens, closes) in enumerate(spans, start=1):
            data |= {f"d{day}-opens{n}": opens, f"d{day}-closes{n}": closes}
    return data


LUNCH_BREAK = [("09:00", "12:30"), ("14:00", "19:00")]


def stored(shop) -> list[str]:
    return [str(h) for h in OpeningHours.objects.filter(shop=shop)]


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def next_weekday(weekday: int) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)


# --- The grid -------------------------------------------------------------------------------


def test_the_grid_shows_the_week_with_each_day_and_its_spans(client, merchant, shop):
    week_hours(shop, days=[TUESDAY], spans=((9, 12), (14, 19)))
    response = client.get(hours_url(shop))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"):
        assert f'<legend class="dx-hours__name">{name}</legend>' in html
    assert 'name="d1-opens1" value="09:00"' in html and 'name="d1-opens2" value="14:00"' in html
    assert 'name="d0-closed" id="id_d0-closed" checked' in html
    assert 'name="d1-closed" id="id_d1-closed">' in html
    assert 'type="time"' in html and "hours.js" in html and "onclick" not in html
    assert 'data-dx-copy="1"' in html  # the copy controls, shown by hours.js


def test_a_week_with_a_lunch_break_is_saved_in_one_post(client, merchant, shop):
    week_hours(shop, days=[0])  # Monday's old hours go: the week is replaced whole
    week = dict.fromkeys(TUESDAY_TO_SATURDAY, LUNCH_BREAK) | {6: [("09:00", "12:00")]}
    response = client.post(hours_url(shop), grid(week))
    assert response.status_code == 302 and response.url == hours_url(shop)
    rows = stored(shop)
    assert len(rows) == 11 and rows[:2] == ["Mardi 09:00–12:30", "Mardi 14:00–19:00"]
    assert rows[-1] == "Dimanche 09:00–12:00" and not any(r.startswith("Lundi") for r in rows)
    assert "enregistrés" in client.get(hours_url(shop)).content.decode()


def test_the_copied_values_are_accepted_like_typed_ones(client, merchant, shop):
    """hours.js copies Tuesday's inputs onto Wednesday–Saturday: the same POST as typed, with
    the "Fermé" boxes the copy cleared absent."""
    week = dict.fromkeys(TUESDAY_TO_SATURDAY, LUNCH_BREAK)
    data = grid(week)
    assert "d3-closed" not in data and data["d3-opens2"] == "14:00"
    assert client.post(hours_url(shop), data).status_code == 302
    assert {h.weekday for h in OpeningHours.objects.filter(shop=shop)} == set(TUESDAY_TO_SATURDAY)


def test_a_closed_day_ignores_times_left_in_its_inputs(client, merchant, shop):
    data = grid({TUESDAY: LUNCH_BREAK}) | {"d0-opens1": "08:00", "d0-closes1": "12:00"}
    assert client.post(hours_url(shop), data).status_code == 302
    assert {h.weekday for h in OpeningHours.objects.filter(shop=shop)} == {TUESDAY}


def test_a_week_all_closed_is_allowed(client, merchant, shop):
    week_hours(shop)
    assert client.post(hours_url(shop), grid()).status_code == 302
    assert stored(shop) == []


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([("12:00", "09:00")], "Mardi : La fermeture (09:00) doit suivre l'ouverture (12:00)."),
        ([("09:00", "12:30"), ("12:00", "19:00")], "La réouverture (12:00) doit suivre"),
        ([("09:00", "12:30"), ("14:00", "13:00")], "La fermeture (13:00) doit suivre la réo"),
        ([("09:00", "")], "Indiquez l'heure d'ouverture et celle de fermeture."),
        ([("09:00", "12:00"), ("14:00", "")], "Pour une pause"),
        ([("", ""), ("14:00", "19:00")], "Indiquez l'heure d'ouverture et celle de fermeture."),
        ([("9h", "12:00")], "Indiquez une heure, par exemple 09:00."),
        ([("", "")], "Indiquez les heures d'ouverture, ou cochez « Fermé »."),
    ],
)
def test_a_bad_day_is_refused_with_its_message_and_nothing_changes(
    client, merchant, shop, spans, message
):
    week_hours(shop)
    before = stored(shop)
    week = {day: LUNCH_BREAK for day in range(6)}
    data = grid(week)
    for n in (1, 2):  # Tuesday as given, its other inputs empty
        opens, closes = spans[n - 1] if len(spans) >= n else ("", "")
        data |= {f"d1-opens{n}": opens, f"d1-closes{n}": closes}
    response = client.post(hours_url(shop), data)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert message in html and "n'ont pas été enregistrés" in html
    assert 'id="day-1-errors"' in html and 'id="day-2-errors"' not in html
    assert stored(shop) == before


def test_another_shops_hours_are_not_found_and_left_unchanged(client, merchant):
    other = ShopFactory(name="Cave d'à côté")
    merchant_create(other, email="cave@example.fr")
    week_hours(other)
    before = stored(other)
    assert client.get(hours_url(other)).status_code == 404
    assert client.post(hours_url(other), grid({0: LUNCH_BREAK})).status_code == 404
    assert stored(other) == before


def test_the_hours_page_refuses_customers_and_sends_visitors_to_log_in(client, shop):
    response = client.get(hours_url(shop))
    assert response.status_code == 302 and "/login/" in response.url
    client.force_login(get_user_model().objects.create_user("h", "h@example.fr", "x" * 12))
    assert client.post(hours_url(shop), grid()).status_code == 403


# --- Exceptional closures -------------------------------------------------------------------


def test_a_closure_is_added_with_dates_and_listed_while_past_ones_are_hidden(
    client, merchant, shop
):
    today = timezone.localdate()
    past = ClosingPeriodFactory(
        shop=shop,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today - datetime.timedelta(days=10),
        reason="inventaire passé",
    )
    starts = today + datetime.timedelta(days=3)
    data = {
        "starts_on": f"{starts:%Y-%m-%d}",
        "ends_on": f"{starts + datetime.timedelta(days=6):%Y-%m-%d}",
        "reason": "  congés   d'été ",
    }
    response = client.post(closures_url(shop), data)
    assert response.status_code == 302 and response.url == hours_url(shop) + "#fermetures"
    added = ClosingPeriod.objects.exclude(pk=past.pk).get(shop=shop)
    assert (added.starts_on, added.reason) == (starts, "congés d'été")
    html = client.get(hours_url(shop)).content.decode()
    assert "congés d&#x27;été" in html and "inventaire passé" not in html
    assert 'type="date"' in html


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (5, 2, "ne peut pas finir avant de commencer"),
        (-5, -2, "déjà passée"),
        (1, 400, "un an au plus"),
        ("demain", 2, "Indiquez une date"),
        (None, 2, "Ce champ est obligatoire"),
    ],
)
def test_a_bad_closure_is_refused_in_french_and_nothing_is_added(
    client, merchant, shop, starts, ends, message
):
    today = timezone.localdate()

    def day(offset):
        if offset is None:
            return ""
        if isinstance(offset, str):
            return offset
        return f"{today + datetime.timedelta(days=offset):%Y-%m-%d}"

    response = client.post(closures_url(shop), {"starts_on": day(starts), "ends_on": day(ends)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClosingPeriod.objects.filter(shop=shop).exists()


def test_a_closure_is_removed_by_its_shop_only(client, merchant, shop):
    mine = ClosingPeriodFactory(shop=shop)
    other = ShopFactory(name="Cave d'à côté")
    theirs = ClosingPeriodFactory(shop=other)

    def remove(closure, slug):
        url = reverse("merchant:closure-remove", kwargs={"slug": slug, "pk": closure.pk})
        return client.post(url)

    assert remove(theirs, shop.code).status_code == 404  # another shop's closure, my slug
    assert remove(theirs, other.code).status_code == 404  # another shop's slug
    url = reverse("merchant:closure-remove", kwargs={"slug": shop.code, "pk": mine.pk})
    assert client.get(url).status_code == 405
    assert remove(mine, shop.code).status_code == 302
    assert list(ClosingPeriod.objects.all()) == [theirs]


# --- The storefront follows -----------------------------------------------------------------


@pytest.fixture
def saved_week(client, merchant, shop):
    """Tuesday to Saturday 9:00–12:30 and 14:00–19:00, saved through the grid."""
    week = dict.fromkeys(TUESDAY_TO_SATURDAY, LUNCH_BREAK)
    assert client.post(hours_url(shop), grid(week)).status_code == 302
    return shop


def _storefront_status(client, shop) -> str:
    html = client.get(reverse("shops:storefront", kwargs={"slug": shop.code})).content.decode()
    start = html.index('<p class="dx-status')
    return html[start : html.index("</p>", start)]


def test_the_storefront_says_open_during_hours_and_closed_at_lunch(
    client, saved_week, time_machine
):
    shop, tuesday = saved_week, next_weekday(TUESDAY)
    opened = Partner.objects.filter(pk=shop.pk)
    time_machine.move_to(local(tuesday, 10), tick=False)
    assert "Ouvert jusqu'à 12 h 30" in _storefront_status(client, shop).replace("&#x27;", "'")
    assert list(shops_open_at(opened)) == [shop]
    time_machine.move_to(local(tuesday, 13), tick=False)
    assert "Fermé · ouvre à 14 h" in _storefront_status(client, shop)
    assert not shops_open_at(opened).exists()
    time_machine.move_to(local(tuesday, 14, 30), tick=False)
    assert list(shops_open_at(opened)) == [shop]
    time_machine.move_to(local(next_weekday(0), 10), tick=False)  # Monday: closed all day
    assert "Fermé · ouvre demain à 9 h" in _storefront_status(client, shop)


def test_a_closure_closes_the_storefront_on_an_opening_day(client, saved_week, time_machine):
    shop, tuesday = saved_week, next_weekday(TUESDAY)
    data = {"starts_on": f"{tuesday:%Y-%m-%d}", "ends_on": f"{tuesday:%Y-%m-%d}", "reason": "deuil"}
    assert client.post(closures_url(shop), data).status_code == 302
    time_machine.move_to(local(tuesday, 10), tick=False)
    assert "Fermé aujourd&#x27;hui (deuil)" in _storefront_status(client, shop)
    assert not shops_open_at(Partner.objects.filter(pk=shop.pk)).exists()
    status = opening_status(shop.opening_hours.all(), shop.closing_periods.all())
    assert status.summary == "Fermé aujourd'hui (deuil)"
    time_machine.move_to(local(tuesday + datetime.timedelta(days=1), 10), tick=False)
    assert list(shops_open_at(Partner.objects.filter(pk=shop.pk))) == [shop]
