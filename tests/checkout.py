"""Drive the marketplace checkout pages as a resident would: basket, per-shop fulfilment
(the first slot offered), address when a shop delivers, payment on site, preview, place."""

import importlib
from decimal import Decimal

from django.urls import reverse
from oscar.core.loading import get_model

from delivery.models import DeliveryZone, DeliveryZonePostcode

ADDRESS = {
    "first_name": "Camille",
    "last_name": "Martin",
    "line1": "3 rue du Casino",
    "line4": "Aix-les-Bains",
    "postcode": "73100",
    "phone_number": "06 12 34 56 78",
}


def zone_create(*, postcodes=("73100",), fee="3.50", minimum="10.00", name="Aix centre"):
    zone = DeliveryZone.objects.create(name=name, fee=Decimal(fee), minimum_order=Decimal(minimum))
    for postcode in postcodes:
        DeliveryZonePostcode.objects.create(zone=zone, postcode=postcode)
    return zone


def basket_fill(client, *products, quantity=2):
    for product in products:
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def fulfilment_data(response, modes=None) -> dict:
    """The fulfilment form's POST: per shop the mode in `modes` ({shop pk: mode}, click &
    collect by default) and the first slot offered for it."""
    modes = modes or {}
    data = {}
    for part, mode, pickup, delivery in response.context["form"].shop_groups():
        chosen = modes.get(part.shop.pk, "click_collect")
        slot = delivery if chosen == "delivery" else pickup
        data[mode.html_name] = chosen
        data[slot.html_name] = slot.field.choices[1][0]  # the first slot offered
    return data


def france_ensure() -> None:
    """France, written by the migration that ships it (run again: it updates or creates): a
    transactional test's flush (live server, real worker) empties migration data too."""
    from django.apps import apps

    importlib.import_module("orders.migrations.0022_country_france").add_france(apps, None)


def address_step_data(address) -> dict:
    """The address step's POST: the new address's fields (a dict), or "Livrer à cette adresse"
    for an entry of the resident's address book (a `UserAddress`)."""
    if isinstance(address, dict):
        return address
    return {"address_id": address.pk, "action": "ship_to"}


def checkout_to_preview(client, *, modes=None, address=ADDRESS):
    """From a filled basket to the preview page (returned, rendered). `address`: the fields
    of a new address, or a saved `UserAddress` chosen from the address book."""
    france_ensure()
    page = client.get(reverse("checkout:shipping-method"))
    assert page.status_code == 200, page
    response = client.post(reverse("checkout:shipping-method"), fulfilment_data(page, modes))
    assert response.status_code == 302, response.context and response.context["form"].errors
    if response["Location"] == reverse("checkout:shipping-address"):
        response = client.post(reverse("checkout:shipping-address"), address_step_data(address))
        assert response.status_code == 302, response.context and response.context["form"].errors
    assert response["Location"] == reverse("checkout:payment-method")
    assert client.get(reverse("checkout:payment-method")).status_code == 302
    preview = client.get(reverse("checkout:preview"))
    assert preview.status_code == 200, preview
    return preview


def order_place(client, preview):
    """Confirm the order shown on `preview` (posting the total it showed)."""
    total = preview.context["order_total"].incl_tax
    return client.post(reverse("checkout:preview"), {"action": "place_order", "total": str(total)})


def checkout(client, *products, modes=None, address=ADDRESS, quantity=2):
    """Fill the basket, go through the checkout pages up to the thank-you page, and return
    the order placed."""
    basket_fill(client, *products, quantity=quantity)
    placed = order_place(client, checkout_to_preview(client, modes=modes, address=address))
    assert placed.status_code == 302 and placed["Location"].endswith("/checkout/thank-you/"), (
        placed.context and placed.context.get("error")
    )
    return get_model("order", "Order").objects.order_by("-pk").first()
