"""The small town the axe test walks: built once per module, read by `axe_pages.PAGES`.

Three live shops (one collects, one delivers, one bakes), a pending one waiting for the town
staff, products with pictures in two categories (and ten more top categories for the menu, one
product each, plus an empty one), a resident with an order in every status
and a basket with items, a second resident who places orders, a merchant owning the cheese
shop, town staff, and a flatpage.
Orders go through the real checkout (Django's test client) so every page shows real data.
Extend `town_seed` when a new page needs something more; keep it small (it runs once).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.services import product_search_refresh
from delivery.dispatch import cutoff_of, rounds_build
from delivery.models import Courier, Slot
from orders.models import ShopOrder
from orders.services import shop_order_transition
from shops.catalogue_io import catalogue_csv_import
from shops.services.identity import shop_profile_update
from tests.accounts import second_factor_pass
from tests.checkout import basket_fill, checkout, france_ensure, zone_create
from tests.delivery import courier
from tests.factories import (
    ProductImageFactory,
    ShopFactory,
    category_create,
    commerce_staff_create,
    merchant_create,
    product_offered,
    week_hours,
)

PASSWORD = "demo-digitaix"
Partner = get_model("partner", "Partner")
ProductReview = get_model("reviews", "ProductReview")
ShopApiKey = get_model("partner", "ShopApiKey")
WebhookEndpoint = get_model("partner", "WebhookEndpoint")
StockFeed = get_model("partner", "StockFeed")
# The resident's orders: (the cheese part's status, the books part's), every status once.
STATUSES = [
    ("accepted", "handed_to_courier"),
    ("ready", "delivered"),
    ("collected", "delivery_failed"),
    ("refused", "cancelled"),
]


@dataclass
class Town:
    """What the pages are built from: objects by name, and a signed-in session per role."""

    shops: dict = field(default_factory=dict)
    products: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    orders: list = field(default_factory=list)
    flatpage: FlatPage | None = None
    sessions: dict = field(default_factory=dict)  # role -> session cookie value
    ids: dict = field(default_factory=dict)  # what the spaces' URLs take, read without the db


def _shops(town: Town) -> None:
    fromagerie = ShopFactory(
        name="Fromagerie du Lac", trade="fromagerie", address_line="2 rue Davat",
        postcode="73100", city="Aix-les-Bains", phone="04 79 00 00 01",
    )  # fmt: skip
    librairie = ShopFactory(name="Librairie des Arcades", trade="librairie", offers_delivery=True)
    boulangerie = ShopFactory(name="Boulangerie Lambert", trade="boulangerie")
    for shop in (fromagerie, librairie, boulangerie):
        week_hours(shop, days=range(7), spans=((8, 12), (13, 20)))
    pending = ShopFactory(name="Épicerie en attente", status="pending")
    town.shops = {
        "fromagerie": fromagerie,
        "librairie": librairie,
        "boulangerie": boulangerie,
        "pending": pending,
    }


def _catalogue(town: Town) -> None:
    food = category_create("Alimentation")
    cheese = category_create("Fromages", parent=food)
    books = category_create("Livres")
    shops = town.shops
    offers = {
        "comte": ("Comté 18 mois", shops["fromagerie"], "6.90", cheese),
        "beaufort": ("Beaufort d'été", shops["fromagerie"], "8.40", cheese),
        "tome": ("Tome des Bauges", shops["fromagerie"], "5.20", cheese),
        "novel": ("Roman du lac", shops["librairie"], "19.00", books),
        "guide": ("Guide des sentiers", shops["librairie"], "12.50", books),
        "bread": ("Pain de campagne", shops["boulangerie"], "3.10", food),
    }
    for key, (title, shop, price, category) in offers.items():
        town.products[key] = product_offered(title=title, shop=shop, price=price, category=category)
        ProductImageFactory(product=town.products[key])
    product_offered(title="Confiture maison", shop=shops["pending"], price="4.45")
    town.categories = {"food": food, "cheese": cheese, "books": books}
    _menu_categories(town)
    product_search_refresh()


# More top categories, with long French names as a town's are, one product each: the menu cannot
# show them all on one row, even at 1366 px (tests/browser/test_layout.py).
MORE_CATEGORIES = [
    ("Boissons, vins & spiritueux", "Cidre fermier"),
    ("Fleurs & plantes", "Bouquet champêtre"),
    ("Mode & accessoires", "Écharpe en laine"),
    ("Maison & jardin", "Arrosoir en zinc"),
    ("Beauté & bien-être", "Savon au lait d'ânesse"),
    ("Jouets & loisirs créatifs", "Toupie en bois"),
    ("Bricolage & quincaillerie", "Boîte de vis"),
    ("Bijoux & horlogerie", "Bracelet en argent"),
    ("Sport & plein air", "Gourde isotherme"),
    ("Arts de la table & cuisine", "Saladier en grès"),
]


def _menu_categories(town: Town) -> None:
    """The menu's other top categories, and one without a product, which it never offers."""
    shop = town.shops["boulangerie"]
    for index, (name, title) in enumerate(MORE_CATEGORIES):
        category = category_create(name)
        product_offered(title=title, shop=shop, price="9.90", category=category)
        town.categories[f"more-{index}"] = category
    town.categories["empty"] = category_create("Instruments de musique")


def _people(town: Town) -> None:
    User = get_user_model()
    town.users = {
        "resident": User.objects.create_user(
            "camille@example.fr", "camille@example.fr", PASSWORD,
            first_name="Camille", last_name="Martin",
        ),
        "merchant": merchant_create(
            town.shops["fromagerie"], email="fromager@example.fr", password=PASSWORD,
            role="owner",
        ),
        "staff": commerce_staff_create(email="mairie@example.fr", password=PASSWORD),
        # A second resident, whose checkout goes to the end (and so empties their basket).
        "buyer": User.objects.create_user(
            "dominique@example.fr", "dominique@example.fr", PASSWORD, first_name="Dominique",
        ),
    }  # fmt: skip
    merchant_create(town.shops["pending"], email="epicier@example.fr", password=PASSWORD)


def _orders(town: Town) -> None:
    """Every shop-order status once (the cheese collected, the books delivered), a new order,
    then items left in the resident's basket."""
    zone_create(fee="3.50", minimum="10.00")
    france_ensure()
    client = Client()
    client.force_login(town.users["resident"])
    products, librairie = town.products, town.shops["librairie"]
    for statuses in STATUSES:
        order = checkout(
            client, products["comte"], products["novel"], modes={librairie.pk: "delivery"},
            quantity=1,
        )  # fmt: skip
        for part, status in zip(order.shop_orders.order_by("number"), statuses, strict=True):
            ShopOrder.objects.filter(pk=part.pk).update(status=status)
        town.orders.append(order)
    town.orders.append(checkout(client, products["beaufort"], quantity=1))  # still new
    basket_fill(client, products["tome"], products["guide"], quantity=1)


def _sessions(town: Town) -> None:
    """A signed-in session per role (staff with their second factor passed)."""
    for role in ("resident", "buyer", "merchant", "staff"):
        client = Client()
        client.force_login(town.users[role])
        if role == "staff":
            second_factor_pass(client, town.users[role])
        town.sessions[role] = client.cookies["sessionid"].value


def town_seed() -> Town:
    town = Town()
    _shops(town)
    _catalogue(town)
    _people(town)
    _orders(town)
    town.flatpage = FlatPage.objects.create(
        url="/a-propos/", title="À propos du portail",
        content="<p>Le portail des commerces indépendants de la ville.</p>",
    )  # fmt: skip
    town.flatpage.sites.add(Site.objects.get_current())
    _space_ids(town)
    _sessions(town)
    # Once every product is saved (a stale instance saved again clears its search columns
    # until the receivers' refresh, which needs a commit): searches find the products.
    product_search_refresh()
    return town


def _round_built(town: Town) -> int:
    """A courier's round for a new delivery of the bookshop's, ready: the board's round sheet."""
    courier("livreur@example.fr")
    client = Client()
    client.force_login(get_user_model().objects.create_user("sacha@example.fr", "sacha@example.fr"))
    librairie = town.shops["librairie"]
    order = checkout(client, town.products["guide"], modes={librairie.pk: "delivery"}, quantity=1)
    part = order.shop_orders.get()
    for status in ("accepted", "ready"):
        shop_order_transition(shop_order=part, to_status=status)
    slot = Slot.objects.get(kind=Slot.Kind.DELIVERY, start=part.slot_start)
    rounds_build(slot=slot, now=cutoff_of(slot))
    return slot.rounds.get().pk


def _space_ids(town: Town) -> None:
    """The ids the merchant's and staff's pages take (the new order's cheese part, an offer,
    a courier), read now: the pages' URLs are built outside database access."""
    fromagerie, boulangerie = town.shops["fromagerie"], town.shops["boulangerie"]
    boulangerie.name = "Boulangerie Lambert et Fils"  # a live shop's new name, to review
    change = shop_profile_update(shop=boulangerie, fields=["name"], by=town.users["staff"])
    ProductReview.objects.create(  # held: the reviews' lists have one to decide
        product=town.products["comte"], user=town.users["resident"], title="Excellent",
        score=4, body="Fruité, bien affiné.",
    )  # fmt: skip
    ShopApiKey.objects.create_key(shop=fromagerie, name="Caisse", scope="write")
    webhook = WebhookEndpoint.objects.create(
        shop=fromagerie, url="https://caisse.example.fr/digitaix", secret="s" * 64,
        events=["shop_order.created"],
    )  # fmt: skip
    feed = StockFeed.objects.create(shop=fromagerie, url="https://caisse.example.fr/stock.csv")
    feed.runs.create(
        status="applied", duration_ms=120, rows_updated=3, rows_unchanged=1, unknown_count=1,
        unknown_skus=["INCONNU"], errors=[{"line": 4, "message": "Stock « -1 » invalide."}],
    )  # fmt: skip
    webhook.deliveries.create(
        event="shop_order.created", ordering_key="shop_order:1", payload={}, status="delivered",
        attempts=1, last_status_code=200, give_up_at=timezone.now(),
    )  # fmt: skip
    town.ids = {
        "round": _round_built(town),
        "identity_change": change.pk,
        "shop_order": town.orders[-1].shop_orders.get(shop=fromagerie).number,
        "offer": fromagerie.stockrecords.get(product=town.products["comte"]).pk,
        "courier": Courier.objects.get().pk,
        # A refused import, so that its report lists an error.
        "import": catalogue_csv_import(
            shop=fromagerie,
            user=town.users["merchant"],
            upload=SimpleUploadedFile(
                "offres.csv", b"sku;titre;prix;stock\nTOMME-1;Tomme;douze;3\n"
            ),
        ).pk,
    }
