"""The merchant's shop screens: list, new shop, profile (with pictures) and hours."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from tests.factories import ClosingPeriodFactory, ShopFactory, merchant_create, week_hours
from tests.pages import picture

pytestmark = pytest.mark.django_db
User = get_user_model()
Partner = get_model("partner", "Partner")
OpeningHours = get_model("partner", "OpeningHours")
ClosingPeriod = get_model("partner", "ClosingPeriod")

SHOP_VIEWS = ("merchant:profile", "merchant:hours")
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
        "latitude": "",
        "longitude": "",
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


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def hours_data(rows=(), closures=()) -> dict:
    data = management("hours", len(rows)) | management("closures", len(closures))
    for i, (day, opens, closes) in enumerate(rows):
        data |= {f"hours-{i}-weekday": day, f"hours-{i}-opens": opens, f"hours-{i}-closes": closes}
    for i, (starts, ends, reason) in enumerate(closures):
        data |= {
            f"closures-{i}-starts_on": starts,
            f"closures-{i}-ends_on": ends,
            f"closures-{i}-reason": reason,
        }
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
    data = profile_data(other, name="Piratée", description="") | hours_data([(3, "08:00", "09:00")])
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


def test_profile_edit_saves_the_fields_but_never_the_status(client, merchant, shop):
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
    assert str(shop.latitude) == "45.899247"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"siret": "73282932000075"}, "clé de contrôle"),
        ({"postcode": "740"}, "5 chiffres"),
        ({"latitude": "45.9"}, "aucune des deux"),
        ({"latitude": "95", "longitude": "6"}, "inférieure ou égale à 90"),
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
    assert message in html and 'id="id_logo_error"' in html
    assert snapshot(shop) == before


# --- Hours ----------------------------------------------------------------------------------


def test_hours_page_shows_current_hours_and_closures(client, merchant, shop):
    closure = ClosingPeriodFactory(shop=shop, reason="congés d'été")
    response = client.get(url("merchant:hours", shop))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="09:00"' in html and f'value="{closure.starts_on:%Y-%m-%d}"' in html
    assert 'for="id_hours-0-opens"' in html and '<th scope="col">' in html


def test_hours_and_closures_are_saved_together(client, merchant, shop):
    data = hours_data(
        [(0, "09:00", "12:00"), (0, "14:00", "19:00"), (5, "08:30", "12:30")],
        [("2025-12-24", "2025-12-26", "Noël")],
    )
    # An untouched extra row is ignored.
    data |= management("hours", 4) | {
        "hours-3-weekday": "",
        "hours-3-opens": "",
        "hours-3-closes": "",
    }
    response = client.post(url("merchant:hours", shop), data)
    assert response.status_code == 302
    rows = [str(h) for h in OpeningHours.objects.filter(shop=shop)]
    assert rows == ["Lundi 09:00–12:00", "Lundi 14:00–19:00", "Samedi 08:30–12:30"]
    assert ClosingPeriod.objects.get(shop=shop).reason == "Noël"


def test_deleted_rows_are_removed(client, merchant, shop):
    data = hours_data([(0, "09:00", "12:00"), (0, "14:00", "19:00")]) | {"hours-1-DELETE": "on"}
    assert client.post(url("merchant:hours", shop), data).status_code == 302
    assert [str(h) for h in OpeningHours.objects.filter(shop=shop)] == ["Lundi 09:00–12:00"]


@pytest.mark.parametrize(
    ("rows", "closures", "message"),
    [
        ([(0, "12:00", "09:00")], [], "fermeture doit suivre"),
        ([(0, "09:00", "12:00"), (0, "11:30", "14:00")], [], "se chevauchent"),
        ([(0, "09:00", "19:00"), (0, "12:00", "13:00")], [], "se chevauchent"),
        ([(9, "09:00", "12:00")], [], "Sélectionnez un choix valide"),
        ([(0, "09:00", "12:00")], [("2025-12-26", "2025-12-24", "")], "finir avant de commencer"),
    ],
)
def test_bad_hours_are_refused_with_a_message_and_change_nothing(
    client, merchant, shop, rows, closures, message
):
    before = snapshot(shop)
    response = client.post(url("merchant:hours", shop), hours_data(rows, closures))
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert message in html and "n'ont pas été enregistrés" in html
    assert snapshot(shop) == before
