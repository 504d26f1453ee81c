"""Delivery shop orders ready for a slot, couriers, and rounds: helpers for the dispatch tests."""

from django.contrib.auth import get_user_model

from delivery.models import Slot
from delivery.rounds import courier_create
from orders.services import shop_order_transition
from tests.checkout import ADDRESS, checkout, zone_create
from tests.factories import ShopFactory, merchant_create, product_offered, week_hours

STREETS = [
    "3 rue du Casino",
    "12 avenue de Tresserve",
    "5 boulevard des Côtes",
    "40 chemin des Bateliers",
    "8 rue de Genève",
    "21 avenue du Grand Port",
    "2 place Carnot",
    "17 rue Davat",
]


def delivering_shop(name: str, *, postcode: str = "73100"):
    shop = ShopFactory(
        name=name,
        offers_delivery=True,
        address_line=f"1 rue {name}",
        postcode=postcode,
        city="Aix-les-Bains",
    )
    week_hours(shop, days=range(7), spans=((8, 20),))
    merchant_create(shop)
    return shop


def delivery_orders(client, shops, *, count: int, ready: bool = True) -> list:
    """`count` residents each order from every shop of `shops`, delivered in the first
    delivery slot offered; their shop orders are accepted, then ready (now) if `ready`."""
    zone_create(minimum="0.00")
    products = [
        product_offered(title=f"Colis {shop.name}", shop=shop, price="12.00") for shop in shops
    ]
    shop_orders = []
    for n in range(count):
        user = get_user_model().objects.create_user(f"r{n}", f"resident{n}@example.fr", "x")
        client.force_login(user)
        address = {**ADDRESS, "line1": STREETS[n % len(STREETS)] + f" bis {n}"}
        modes = {shop.pk: "delivery" for shop in shops}
        order = checkout(client, *products, modes=modes, address=address, quantity=1)
        for shop_order in order.shop_orders.all():
            shop_order_transition(shop_order=shop_order, to_status="accepted")
            if ready:
                shop_order_transition(shop_order=shop_order, to_status="ready")
            shop_order.refresh_from_db()
            shop_orders.append(shop_order)
    client.logout()
    return shop_orders


def delivery_slot() -> Slot:
    return Slot.objects.filter(kind=Slot.Kind.DELIVERY).order_by("start").first()


def courier(email: str, *, capacity: int = 30, days: str = "0123456"):
    user = get_user_model().objects.create_user(
        email[:30], email, "demo-digitaix", first_name=email.split("@")[0].title()
    )
    return courier_create(user=user, capacity=capacity, working_days=days)


def rounds_signature(slot) -> list:
    """What a build decided: per round, its courier and its stops in order."""
    return [
        (r.courier_id, [(s.kind, s.shop_id, s.shop_order_id) for s in r.stops.order_by("position")])
        for r in slot.rounds.order_by("courier_id")
    ]
