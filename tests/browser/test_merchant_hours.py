"""A shopkeeper sets the week's hours on a 390 px phone (headless Chromium): Tuesday with a
lunch break, copied onto Wednesday–Saturday, one save; the storefront then says open during
the hours and closed at lunch, at moments the server's clock is frozen to (time-machine).

Screenshots under test-results/<this test>/.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.factories import ShopFactory, merchant_create

pytestmark = pytest.mark.django_db(transaction=True)
OpeningHours = get_model("partner", "OpeningHours")
PASSWORD = "boulanger-du-port-42"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shot(page, output_path, name: str) -> None:
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def next_tuesday_at(hour: int) -> datetime.datetime:
    today = timezone.localdate()
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.datetime.combine(tuesday, datetime.time(hour)))


def test_a_week_with_a_lunch_break_in_one_screen_and_one_save_on_a_phone(
    live_server, browser, output_path, time_machine
):
    shop = ShopFactory(name="Boulangerie du Port", code="boulangerie-du-port", status="live")
    merchant_create(shop, email="paul@example.fr", password=PASSWORD)
    url = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/accounts/login/?next=/ma-boutique/{shop.code}/horaires/")
    page.locator("#id_login-username").fill("paul@example.fr")
    page.locator("#id_login-password").fill(PASSWORD)
    page.locator('button[name="login_submit"]').click()
    expect(page.locator("h1")).to_have_text("Horaires")

    tuesday = page.locator("#day-1")
    expect(page.locator("#id_d1-opens1")).to_be_disabled()  # no hours yet: every day closed
    tuesday.get_by_label("Fermé").uncheck()
    for field, value in {"opens1": "09:00", "closes1": "12:30", "opens2": "14:00"}.items():
        page.locator(f"#id_d1-{field}").fill(value)
    page.locator("#id_d1-closes2").fill("19:00")
    tuesday.locator("[data-dx-copy-toggle]").click()
    targets = tuesday.locator(".dx-hours__targets")
    expect(targets.get_by_label("Mercredi")).to_be_checked()
    expect(targets.get_by_label("Dimanche")).not_to_be_checked()
    shot(page, output_path, "01-copier-le-mardi")
    targets.get_by_role("button", name="Copier").click()
    expect(page.locator("[data-dx-hours-status]")).to_contain_text("mercredi, jeudi")
    expect(page.locator("#id_d5-closes2")).to_have_value("19:00")
    expect(page.locator("#id_d6-closed")).to_be_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the grid scrolls sideways on a phone ({width} px)"
    page.get_by_role("button", name="Enregistrer les horaires").click()
    expect(page.locator(".dx-messages")).to_contain_text("Les horaires de la semaine sont")
    shot(page, output_path, "02-enregistre")
    rows = [str(h) for h in OpeningHours.objects.filter(shop=shop)]
    assert len(rows) == 10 and rows[0] == "Mardi 09:00–12:30" and rows[-1] == "Samedi 14:00–19:00"

    storefront = f"{url}/boutiques/{shop.code}/"
    time_machine.move_to(next_tuesday_at(10), tick=False)
    page.goto(storefront)
    expect(page.locator(".dx-status").first).to_contain_text("Ouvert jusqu'à 12 h 30")
    time_machine.move_to(next_tuesday_at(13), tick=False)
    page.goto(storefront)
    expect(page.locator(".dx-status").first).to_contain_text("Fermé · ouvre à 14 h")
    shot(page, output_path, "03-vitrine-a-midi")
    context.close()
