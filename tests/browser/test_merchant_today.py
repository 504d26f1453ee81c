"""The shop's day in a real browser on a 390 px phone: a new order appears while the page is
open, announced and rung; the sound can be turned off and stays off; one tap accepts an
order. The page polls every second here (DIGITAIX_TODAY_POLL_SECONDS), every 20 in use.

Slots are computed from today (tests/shop_orders.py): time-touching module.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from orders.models import ShopOrder
from tests.factories import ShopFactory, merchant_create
from tests.shop_orders import shop_order_place, slot_at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _setup(eager_celery, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DIGITAIX_TODAY_POLL_SECONDS = 1


def log_in(page, url: str, email: str, next_url: str) -> None:
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill("demo-digitaix")
    page.locator('button[name="login_submit"]').click()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_new_order_rings_the_sound_turns_off_and_one_tap_accepts(page, live_server, output_path):
    page.set_viewport_size({"width": 390, "height": 844})
    shop = ShopFactory(name="Boulangerie du Lac")
    merchant_create(shop, email="boulanger@example.fr")
    today = f"/ma-boutique/{shop.code}/"
    log_in(page, live_server.url, "boulanger@example.fr", today)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aujourd'hui")
    sound = page.get_by_role("button", name="Son des nouvelles commandes")
    expect(sound).to_have_attribute("aria-pressed", "true")
    assert no_horizontal_scroll(page)

    first = shop_order_place(shop, slot_start=slot_at(days=1), customer=("Léa", "Dubois"))

    new_orders = page.locator('[data-group="new"]')
    expect(new_orders).to_contain_text(first.number, timeout=10_000)
    expect(page.locator("[data-today-live]")).to_contain_text(first.number)
    expect(page.locator("[data-dx-today]")).to_have_attribute("data-beeps", "1")
    assert no_horizontal_scroll(page)
    Path(output_path).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=Path(output_path) / "aujourd-hui.png", full_page=True)

    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "false")
    page.reload()
    expect(sound).to_have_attribute("aria-pressed", "false")  # remembered on this phone
    second = shop_order_place(shop, customer=("Jean", "Roux"))
    expect(new_orders).to_contain_text(second.number, timeout=10_000)
    expect(page.locator("[data-today-live]")).to_contain_text(second.number)
    expect(page.locator("[data-dx-today]")).to_have_attribute("data-beeps", "0")

    page.get_by_role("button", name=re.compile(f"Accepter la commande {first.number}")).click()

    expect(page).to_have_url(re.compile(re.escape(today) + "$"))
    expect(page.locator('[data-group="accepted"]')).to_contain_text(first.number)
    expect(new_orders).not_to_contain_text(first.number)
    assert ShopOrder.objects.get(pk=first.pk).status == "accepted"
