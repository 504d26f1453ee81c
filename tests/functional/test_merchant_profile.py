"""The merchant's shop screens: list, new shop, profile (geocoded address, pictures with a
preview) and the town staff's correction of a shop's position. Hours: test_merchant_hours."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from tests.factories import (
    ClosingPeriodFactory,
    ShopFactory,
    commerce_staff_create,
    merchant_create,
    week_hours,
)
from tests.pages import picture

pytestmark = pytest.mark.django_db
User = get_user_model()
Partner = get_model("partner", "Partner")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")

SHOP_VIEWS = ("merchant:profile", "merchant:hours", "merchant:closures")
ALL_VIEWS = [("space:merchant-home", False), ("merchant:shop-create", False)] + [
    (name, True) for name in SHOP_VIEWS
]


@pytest.fixture
def shop():
    shop = ShopFactory(name="Fromagerie du Lac", code="fromagerie-du-lac", status="pending")
    week_hours(shop, days=[0])
    return shop


@pytest.fixture
def merchant(client, shop):
    user = merchant_create(shop, email="elise@example.fr")
    client.force_login(user)
    return user


def url(name: str, shop=None) -> str:
    return reverse(name, kwargs={"slug": shop.code}) if shop else reverse(name)


def profile_data(shop, **overrides) -> dict:
    data = {
        "name": shop.name,
        "trade": shop.trade,
        "description": "Affineur depuis 1962.",
        "address_line": "3 place du Marché",
        "postcode": "74000",
        "city": "Annecy",
        "phone": "04 50 00 00 00",
        "email": "lac@example.fr",
        "website": "https://fromagerie.example.fr",
        "siret": "73282932000074",
        "offers_click_collect": "on",
        "pickup_lead_minutes": "60",
        "pickup_slot_minutes": "30",
        "pickup_slot_capacity": "4",
    }
    return data | overrides


def hours_data(rows=()) -> dict:
    """The week grid's POST (test_merchant_hours.grid): the given (day, opens, closes)."""
    data = {f"d{day}-closed": "on" for day in range(7)}
    for day, opens, closes in rows:
        data.pop(f"d{day}-closed", None)
        data |= {f"d{day}-opens1": opens, f"d{day}-closes1": closes}
    return data


def snapshot(shop) -> tuple:
    shop.refresh_from_db()
    hours = list(OpeningHours.objects.filter(shop=shop).values_list("weekday", "opens", "closes"))
    closures = list(ClosingPeriod.objects.filter(shop=shop).values_list("starts_on", "reason"))
    return (shop.name, shop.description, shop.status, str(shop.logo), hours, closures)


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "with_shop"), ALL_VIEWS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, shop, name, with_shop):
    response = client.get(url(name, shop if with_shop else None))
    assert response.status_code == 302 and response.url.startswith(reverse("dashboard:login"))


@pytest.mark.parametrize(("name", "with_shop"), ALL_VIEWS)
def test_customers_who_are_not_merchants_are_refused(client, shop, name, with_shop):
    client.force_login(User.objects.create_user("c", "client@example.fr", "x" * 12))
    target = url(name, shop if with_shop else None)
    assert client.get(target).status_code == 403
    assert client.post(target, profile_data(shop)).status_code == 403
    assert Partner.objects.count() == 1


@pytest.mark.parametrize("name", SHOP_VIEWS)
def test_another_merchants_shop_is_not_found_and_left_unchanged(client, merchant, name):
    other = ShopFactory(name="Cave d'à côté", description="Vins de Savoie")
    merchant_create(other, email="cave@example.fr")
    week_hours(other, days=[1])
    ClosingPeriodFactory(shop=other)
    before = snapshot(other)
    assert client.get(url(name, other)).status_code == 404
    soon = f"{timezone.localdate() + datetime.timedelta(days=2):%Y-%m-%d}"
    data = profile_data(other, name="Piratée", description="") | hours_data([(3, "08:00", "09:00")])
    data |= {"starts_on": soon, "ends_on": soon}
    assert client.post(url(name, other), data).status_code == 404
    assert snapshot(other) == before


def test_merchant_home_goes_to_my_only_shop_and_lists_several(client, merchant, shop):
    ShopFactory(name="Cave d'à côté")
    response = client.get(url("space:merchant-home"))
    assert response.status_code == 302 and response.url == url("space:today", shop)
    second = ShopFactory(name="Bazar du Lac")
    second.users.add(merchant)
    response = client.get(url("space:merchant-home"))
    html = response.content.decode()
    assert [s.name for s in response.context["shops"]] == ["Bazar du Lac", "Fromagerie du Lac"]
    assert "Cave d" not in html and "En attente de validation" in html
    for each in (shop, second):
        assert url("space:today", each) in html


def test_a_merchant_adds_a_pending_shop(client, merchant, django_capture_on_commit_callbacks):
    data = {
        "name": "Fromagerie du Lac !",  # another name, the same address as the merchant's shop
        "trade": "fromagerie",
        "siret": "44306184100047",
        "address_line": "1 rue Royale",
        "postcode": "74000",
        "city": "Annecy",
        "phone": "04 50 11 11 11",
        "offers_delivery": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("merchant:shop-create"), data)
    new = Partner.objects.get(code="fromagerie-du-lac-2")
    assert response.status_code == 302 and response.url == url("merchant:profile", new)
    assert new.status == "pending" and list(new.users.all()) == [merchant]
    assert (new.offers_click_collect, new.offers_delivery) == (False, True)


def test_a_bad_new_shop_is_refused_with_a_message(client, merchant):
    response = client.post(url("merchant:shop-create"), {"name": "Cave", "postcode": "abc"})
    assert response.status_code == 200
    assert "5 chiffres" in response.content.decode()
    assert Partner.objects.count() == 1


# --- The profile ----------------------------------------------------------------------------


def test_profile_edit_saves_the_fields_but_never_the_status_nor_the_position(
    client, merchant, shop
):
    data = profile_data(shop, status="live", latitude="45.899247", longitude="6.129384")
    response = client.post(url("merchant:profile", shop), data)
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == "pending" and shop.code == "fromagerie-du-lac"
    assert (shop.description, shop.city, shop.siret) == (
        "Affineur depuis 1962.",
        "Annecy",
        "73282932000074",
    )
    assert shop.latitude is None  # Annecy's 74000 is not in the offline geocoder's table


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"siret": "73282932000075"}, "clé de contrôle"),
        ({"postcode": "740"}, "5 chiffres"),
        ({"name": ""}, "obligatoire"),
        ({"pickup_slot_capacity": "0"}, "supérieure ou égale à 1"),
        ({"pickup_slot_minutes": "5"}, "supérieure ou égale à 10"),
        ({"pickup_lead_minutes": "-30"}, "supérieure ou égale à 0"),
    ],
)
def test_bad_profile_is_refused_and_changes_nothing(client, merchant, shop, overrides, message):
    before = snapshot(shop)
    response = client.post(url("merchant:profile", shop), profile_data(shop, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert snapshot(shop) == before


def test_the_merchant_sets_the_preparation_time_and_the_slots(client, merchant, shop):
    data = profile_data(
        shop, pickup_lead_minutes="1440", pickup_slot_minutes="60", pickup_slot_capacity="2"
    )
    assert client.post(url("merchant:profile", shop), data).status_code == 302
    shop.refresh_from_db()
    assert (shop.pickup_lead_minutes, shop.pickup_slot_minutes, shop.pickup_slot_capacity) == (
        1440,
        60,
        2,
    )


def test_logo_and_banner_are_checked_resized_and_saved(client, merchant, shop):
    data = profile_data(shop, logo=picture(size=(1200, 900), name="logo.png"))
    data["banner"] = picture("WEBP", (2400, 800), name="banner.webp")
    assert client.post(url("merchant:profile", shop), data).status_code == 302
    shop.refresh_from_db()
    logo, banner = Image.open(shop.logo.open()), Image.open(shop.banner.open())
    assert logo.format == "JPEG" and max(logo.size) <= 512
    assert banner.format == "JPEG" and banner.size[0] <= 1920
    page = client.get(url("merchant:profile", shop)).content.decode()
    assert shop.logo.url in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"GIF89a" + b"\0" * 64), "JPEG, PNG ou WebP"),
        (SimpleUploadedFile("notes.pdf", b"%PDF-1.7 not an image"), "JPEG, PNG ou WebP"),
        (SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\0" * (10 * 1024 * 1024 + 1)), "la limite"),
        ("too-many-pixels", "40 mégapixels"),
    ],
)
def test_bad_pictures_are_refused_in_french_and_change_nothing(
    client, merchant, shop, upload, message
):
    if upload == "too-many-pixels":
        data = BytesIO()
        Image.new("1", (9000, 5000)).save(data, "PNG")
        upload = SimpleUploadedFile("huge.png", data.getvalue())
    before = snapshot(shop)
    data = profile_data(shop, description="Nouveau texte", logo=upload)
    response = client.post(url("merchant:profile", shop), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'id="id_logo_errors"' in html
    assert snapshot(shop) == before


def test_the_profile_has_no_coordinates_and_previews_its_pictures(client, merchant, shop):
    html = client.get(url("merchant:profile", shop)).content.decode()
    assert 'name="latitude"' not in html and 'name="longitude"' not in html
    assert 'data-dx-preview="logo-preview"' in html and 'id="logo-preview"' in html
    assert 'data-dx-preview="banner-preview"' in html and 'id="banner-preview"' in html
    assert "image-preview.js" in html and 'accept="image/jpeg,image/png,image/webp"' in html
    assert "Pas encore de logo." in html  # no current logo: the preview waits, hidden


# --- The address placed on the map ----------------------------------------------------------

AIX = {"address_line": "8 boulevard du Port", "postcode": "73100", "city": "Aix-les-Bains"}


def test_saving_an_address_places_the_shop_through_the_geocoder(client, merchant, shop):
    from shops.geocoding import geocoder_get

    response = client.post(url("merchant:profile", shop), profile_data(shop, **AIX), follow=True)
    shop.refresh_from_db()
    point = geocoder_get().geocode(line1=AIX["address_line"], postcode="73100", city="")
    assert (float(shop.latitude), float(shop.longitude)) == pytest.approx((point.lat, point.lon))
    html = response.content.decode()
    assert 'data-located="true"' in html and "pas été trouvée" not in html


def test_an_address_not_found_is_saved_flagged_and_said_in_french(client, merchant, shop):
    shop.latitude, shop.longitude = Decimal("45.7"), Decimal("5.9")  # an older address's
    shop.save()
    data = profile_data(shop, address_line="1 rue de Rivoli", postcode="75001", city="Paris")
    response = client.post(url("merchant:profile", shop), data, follow=True)
    shop.refresh_from_db()
    assert (shop.address_line, shop.latitude, shop.longitude) == ("1 rue de Rivoli", None, None)
    html = response.content.decode().replace("&#x27;", "'")
    assert "Votre adresse n'a pas été trouvée sur la carte" in html
    assert 'data-located="false"' in html and "Adresse non trouvée" in html


def test_a_staff_position_holds_until_the_address_changes(client, merchant, shop):
    shop.latitude, shop.longitude = Decimal("45.123456"), Decimal("5.654321")
    shop.address_line, shop.postcode, shop.city = AIX.values()
    shop.save()
    data = profile_data(shop, description="Autre texte", **AIX)
    assert client.post(url("merchant:profile", shop), data).status_code == 302
    shop.refresh_from_db()
    assert shop.latitude == Decimal("45.123456")  # same address: the correction stays
    moved = profile_data(shop, **(AIX | {"address_line": "2 rue de Genève"}))
    assert client.post(url("merchant:profile", shop), moved).status_code == 302
    shop.refresh_from_db()
    assert shop.latitude != Decimal("45.123456") and shop.latitude is not None


def test_a_live_shops_new_address_is_placed_once_the_town_approves_it(client, merchant, shop):
    from shops.services import identity_change_decide

    Partner.objects.filter(pk=shop.pk).update(status="live")
    shop.refresh_from_db()
    assert client.post(url("merchant:profile", shop), profile_data(shop, **AIX)).status_code == 302
    shop.refresh_from_db()
    assert shop.latitude is None  # the public still sees the approved (Annecy) address
    change = shop.identity_changes.get()
    identity_change_decide(change=change, by=commerce_staff_create(), approve=True)
    shop.refresh_from_db()
    assert shop.postcode == "73100" and shop.latitude is not None


def test_a_new_shop_is_placed_from_its_address(client, merchant):
    data = {
        "name": "Cave du Port",
        "trade": "caviste",
        "siret": "44306184100047",
        "phone": "04 79 11 11 11",
        "offers_click_collect": "on",
        **AIX,
    }
    assert client.post(url("merchant:shop-create"), data).status_code == 302
    assert Partner.objects.get(name="Cave du Port").latitude is not None


# --- The town staff's correction of a position ----------------------------------------------


def location_url(shop) -> str:
    return reverse("moderation:shop-location", kwargs={"pk": shop.pk})


def test_town_staff_correct_a_shops_position_with_a_french_decimal_comma(client, shop):
    client.force_login(commerce_staff_create())
    page = client.get(location_url(shop))
    assert page.status_code == 200 and 'name="latitude"' in page.content.decode()
    response = client.post(location_url(shop), {"latitude": "45,6885", "longitude": "5,9153"})
    assert response.status_code == 302
    assert response.url == reverse("moderation:shop", args=[shop.pk])
    shop.refresh_from_db()
    assert (shop.latitude, shop.longitude) == (Decimal("45.6885"), Decimal("5.9153"))
    assert "Corriger la position" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"latitude": "45,6885", "longitude": ""}, "aucune des deux"),
        ({"latitude": "95", "longitude": "6"}, "inférieure ou égale à 90"),
        ({"latitude": "nord", "longitude": "6"}, "Saisissez un nombre"),
    ],
)
def test_a_bad_position_is_refused_and_changes_nothing(client, shop, data, message):
    client.force_login(commerce_staff_create())
    response = client.post(location_url(shop), data)
    assert response.status_code == 200 and message in response.content.decode()
    shop.refresh_from_db()
    assert shop.latitude is None


def test_merchants_cannot_set_a_position(client, merchant, shop):
    response = client.post(location_url(shop), {"latitude": "45", "longitude": "5"})
    assert response.status_code == 403
    shop.refresh_from_db()
    assert shop.latitude is None
