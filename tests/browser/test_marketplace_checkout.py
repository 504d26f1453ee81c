"""A resident buys from two shops in a real browser (headless Chromium, phone width): one
part collected at the cheese shop, the other delivered by the bookshop, paid on site; then
each merchant sees only their own part in their dashboard and moves it to "ready".

Screenshots of each step are saved under test-results/<this test>/ as CI artefacts.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model
from playwright.sync_api import expect

from orders.models import ShopOrder
from tests.checkout import france_ensure, zone_create
from tests.factories import ShopFactory, merchant_create, product_offered, week_hours

pytestmark = pytest.mark.django_db(transaction=True)
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
PASSWORD = "demo-digitaix"


@pytest.fixture(autouse=True)
def _setup(eager_celery, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shot(page, output_path, name: str) -> None:
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def log_in(page, url: str, email: str, next_url: str = "/") -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(PASSWORD)
    page.locator('button[name="login_submit"]').click()


def add_to_basket(page, url: str, product) -> None:
    page.goto(url + product.get_absolute_url())
    page.get_by_role("button", name="Ajouter au panier").first.click()


@pytest.fixture
def town():
    fromagerie = ShopFactory(
        name="Fromagerie du Lac", address_line="2 rue Davat", postcode="73100",
        city="Aix-les-Bains",
    )  # fmt: skip
    librairie = ShopFactory(name="Librairie des Arcades", offers_delivery=True)
    for shop in (fromagerie, librairie):
        week_hours(shop, days=range(7), spans=((8, 20),))
    zone_create(fee="3.50", minimum="10.00")
    france_ensure()  # an earlier live-server test's flush removed it
    get_user_model().objects.create_user("camille", "camille@example.fr", PASSWORD)
    return {
        "fromagerie": fromagerie,
        "librairie": librairie,
        "cheesemonger": merchant_create(fromagerie, email="fromager@example.fr"),
        "bookseller": merchant_create(librairie, email="libraire@example.fr"),
        "comte": product_offered(title="Comté 18 mois", shop=fromagerie, price="6.90"),
        "novel": product_offered(title="Roman du lac", shop=librairie, price="19.00"),
    }


def test_a_resident_buys_from_two_shops_and_each_merchant_prepares_their_part(
    page, live_server, town, output_path
):
    url = live_server.url
    log_in(page, url, "camille@example.fr")
    add_to_basket(page, url, town["comte"])
    add_to_basket(page, url, town["novel"])
    page.goto(f"{url}/basket/")
    shot(page, output_path, "1-panier")
    page.get_by_role("link", name="Passer commande").click()

    # Step 1: per shop, how to receive the items.
    expect(page.get_by_role("heading", name="Comment recevoir vos articles ?")).to_be_visible()
    cheese = page.get_by_role("group", name="Fromagerie du Lac")
    cheese.get_by_label("Retrait en boutique").check()
    cheese.get_by_label("Créneau de retrait").select_option(index=1)
    books = page.get_by_role("group", name="Librairie des Arcades")
    books.get_by_label("Livraison à domicile").check()
    books.get_by_label("Créneau de livraison").select_option(index=1)
    shot(page, output_path, "2-retrait-ou-livraison")
    page.get_by_role("button", name="Continuer").click()

    # Step 2: the delivery address (the bookshop delivers).
    for field, value in {
        "first_name": "Camille",
        "last_name": "Martin",
        "line1": "3 rue du Casino",
        "line4": "Aix-les-Bains",
        "postcode": "73100",
        "phone_number": "06 12 34 56 78",
    }.items():
        page.locator(f"#id_{field}").fill(value)
    shot(page, output_path, "3-adresse")
    page.locator("form button[type=submit]").last.click()

    # Preview: each shop, its slot and fee, the total; then confirm (paid on site).
    expect(page.get_by_role("heading", name="Vérifiez votre commande")).to_be_visible()
    expect(page.get_by_text("Total à payer")).to_be_visible()
    expect(page.locator("main")).to_contain_text("29,40")
    shot(page, output_path, "4-verification")
    page.get_by_role("button", name="Confirmer la commande").click()

    expect(page.locator("h1")).to_contain_text("est enregistrée")
    order = Order.objects.get()
    cheese_part, books_part = order.shop_orders.order_by("number")
    expect(page.locator("main")).to_contain_text(cheese_part.number)
    expect(page.locator("main")).to_contain_text(books_part.number)
    shot(page, output_path, "5-confirmation")

    for merchant, mine, theirs, n in (
        ("fromager@example.fr", cheese_part, books_part, 6),
        ("libraire@example.fr", books_part, cheese_part, 7),
    ):
        merchant_moves_to_ready(page, url, merchant, mine, theirs)
        shot(page, output_path, f"{n}-commande-prete-{mine.number}")

    assert set(ShopOrder.objects.values_list("status", flat=True)) == {"ready"}

    # The resident follows each shop's part on their order page.
    log_in(page, url, "camille@example.fr", next_url=f"/accounts/orders/{order.number}/")
    for part in (cheese_part, books_part):
        expect(page.locator(f'[data-shop-order="{part.number}"] [data-status]')).to_have_text(
            "Prête"
        )
    shot(page, output_path, "8-suivi-client")


def merchant_moves_to_ready(page, url, email, mine, theirs) -> None:
    """The merchant's list holds their part only; they open it, accept it, mark it ready."""
    log_in(page, url, email, next_url="/ma-boutique/commandes/")  # their only shop's list
    orders = page.locator("table[data-shop-orders]")
    expect(orders).to_contain_text(mine.number)
    expect(orders).not_to_contain_text(theirs.number)
    orders.get_by_role("link", name=mine.number).click()
    expect(page.locator("[data-lines]")).not_to_contain_text(
        "Roman du lac" if mine.number.endswith("-1") else "Comté"
    )
    page.get_by_role("button", name="Accepter la commande").click()
    expect(page.locator(".dx-lead [data-status]")).to_have_text("Acceptée")
    page.get_by_role("button", name="Marquer prête").click()
    expect(page.locator(".dx-lead [data-status]")).to_have_text("Prête")


NEW_ADDRESS = {
    "first_name": "Camille",
    "last_name": "Martin",
    "line1": "3 rue du Casino",
    "line4": "Aix-les-Bains",
    "postcode": "73100",
    "phone_number": "06 12 34 56 78",
}
CHECKOUTS = {
    # name: (how each shop's part is received, the address step, the total shown)
    "adresse-enregistree": ({"novel": "delivery"}, "saved", "22,50"),
    "nouvelle-adresse": ({"novel": "delivery"}, "new", "22,50"),
    "retrait-seulement": ({"comte": "collect", "novel": "collect"}, None, "25,90"),
    "mixte-adresse-enregistree": ({"comte": "collect", "novel": "delivery"}, "saved", "29,40"),
}


@pytest.mark.parametrize("case", CHECKOUTS)
def test_a_resident_checks_out_with_each_kind_of_address_to_a_placed_order(
    page, live_server, town, output_path, case
):
    """A saved address ("Livrer à cette adresse") once lost the delivery choices: no fee, no
    total, and a 500 on "Confirmer"."""
    modes, address, total = CHECKOUTS[case]
    resident = get_user_model().objects.get(email="camille@example.fr")
    UserAddress.objects.create(
        user=resident, country=Country.objects.get(iso_3166_1_a2="FR"),
        **{**NEW_ADDRESS, "line1": "12 avenue du Lac"},
    )  # fmt: skip
    url = live_server.url
    log_in(page, url, "camille@example.fr")
    for product in modes:
        add_to_basket(page, url, town[product])
    page.goto(f"{url}/checkout/")
    for product, mode in modes.items():
        part = page.get_by_role("group", name=town[product].stockrecords.get().partner.name)
        if mode == "delivery":
            part.get_by_label("Livraison à domicile").check()
            part.get_by_label("Créneau de livraison").select_option(index=1)
        else:
            part.get_by_label("Retrait en boutique").check()
            part.get_by_label("Créneau de retrait").select_option(index=1)
    page.get_by_role("button", name="Continuer").click()
    if address == "saved":
        page.get_by_role("button", name="Livrer à cette adresse").click()
    elif address == "new":
        for field, value in NEW_ADDRESS.items():
            page.locator(f"#id_{field}").fill(value)
        page.locator("form button[type=submit]").last.click()

    expect(page.get_by_role("heading", name="Vérifiez votre commande")).to_be_visible()
    expect(page.locator("main")).to_contain_text(total)
    shot(page, output_path, "verification")
    page.get_by_role("button", name="Confirmer la commande").click()

    expect(page.locator("h1")).to_contain_text("est enregistrée")
    order = Order.objects.get()
    assert order.shop_orders.count() == len(modes)
    line1 = {"saved": "12 avenue du Lac", "new": "3 rue du Casino"}.get(address)
    assert getattr(order.shipping_address, "line1", None) == line1


def test_step_one_shows_what_the_chosen_mode_needs_with_slots_by_day(page, live_server, town):
    """Issue 15, §2: a shop's slot list appears for the mode chosen only, and its slots come
    as a day picker then that day's times, not one long list."""
    url = live_server.url
    log_in(page, url, "camille@example.fr")
    add_to_basket(page, url, town["novel"])
    page.goto(f"{url}/checkout/")
    books = page.get_by_role("group", name="Librairie des Arcades")
    pickup, delivery = (
        books.get_by_label("Créneau de retrait"),
        books.get_by_label("Créneau de livraison"),
    )
    expect(pickup).to_be_visible()  # no mode chosen yet: both
    books.get_by_label("Livraison à domicile").check()
    expect(pickup).to_be_hidden()
    expect(delivery).to_be_visible()
    books.get_by_label("Retrait en boutique").check()
    expect(delivery).to_be_hidden()
    day = books.get_by_label("Jour du retrait")
    days = day.locator("option").all_inner_texts()
    assert len(days) >= 2  # open every day: a week of days
    times = pickup.locator("option").all_inner_texts()
    assert times[0] == "Choisissez un créneau" and all("–" in t for t in times[1:])
    assert 1 < len(times) <= 1 + 24  # one day's half-hours (8:00–20:00), not the whole week
    values = "els => els.map((e) => e.value)"
    first_day = pickup.locator("option").evaluate_all(values)
    day.select_option(index=1)
    second_day = pickup.locator("option").evaluate_all(values)
    assert set(first_day[1:]).isdisjoint(second_day[1:])  # the next day's own slots
    pickup.select_option(index=1)
    page.get_by_role("button", name="Continuer").click()
    expect(page).to_have_url(re.compile(r"/checkout/(payment-method|preview)/$"))
