"""Delivery zones: which postcode a zone serves, its fee and its minimum order."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from delivery.models import DeliveryZone, DeliveryZonePostcode
from delivery.selectors import delivery_quote, delivery_zone_for_postcode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def zone_create(name: str, *postcodes: str, fee="4.90", minimum="20.00", is_active=True):
    zone = DeliveryZone.objects.create(
        name=name, fee=Decimal(fee), minimum_order=Decimal(minimum), is_active=is_active
    )
    for postcode in postcodes:
        DeliveryZonePostcode.objects.create(zone=zone, postcode=postcode)
    return zone


def test_zone_is_found_by_its_postcode():
    centre = zone_create("Centre", "73100")
    zone_create("Lac", "73420", "73370")
    assert delivery_zone_for_postcode(postcode="73100") == centre
    assert delivery_zone_for_postcode(postcode="73 100") == centre
    assert delivery_zone_for_postcode(postcode="38000") is None


def test_inactive_zone_is_ignored():
    zone_create("Lac", "73420", is_active=False)
    assert delivery_zone_for_postcode(postcode="73420") is None
    with pytest.raises(ValidationError) as error:
        delivery_quote(postcode="73420", order_amount=Decimal("50"))
    assert error.value.code == "outside_zones"


def test_quote_gives_the_zone_and_its_fee():
    centre = zone_create("Centre", "73100", fee="3.50", minimum="15.00")
    assert delivery_quote(postcode="73100", order_amount=Decimal("15.00")) == (
        centre,
        Decimal("3.50"),
    )


def test_address_outside_every_zone_is_refused_in_french():
    zone_create("Centre", "73100")
    with pytest.raises(ValidationError) as error:
        delivery_quote(postcode="69001", order_amount=Decimal("80"))
    assert error.value.code == "outside_zones"
    assert "Nous ne livrons pas encore à cette adresse" in error.value.messages[0]


def test_order_below_the_zone_minimum_is_refused_in_french():
    zone_create("Centre", "73100", minimum="25.00")
    with pytest.raises(ValidationError) as error:
        delivery_quote(postcode="73100", order_amount=Decimal("19.50"))
    assert error.value.code == "below_minimum"
    message = error.value.messages[0]
    assert "au moins 25,00 €" in message
    assert "il manque 5,50 €" in message
    assert "Centre" in message


def test_malformed_postcode_is_refused():
    with pytest.raises(ValidationError) as error:
        delivery_quote(postcode="7310", order_amount=Decimal("50"))
    assert error.value.code == "postcode_invalid"


def test_a_postcode_belongs_to_one_zone_only():
    zone_create("Centre", "73100")
    other = zone_create("Lac")
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliveryZonePostcode.objects.create(zone=other, postcode="73100")


def test_database_refuses_a_postcode_that_is_not_5_digits():
    zone = zone_create("Centre")
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliveryZonePostcode.objects.create(zone=zone, postcode="7310A")


def test_database_refuses_a_negative_fee():
    with pytest.raises(IntegrityError), transaction.atomic():
        zone_create("Centre", fee="-1.00")


def test_staff_manage_zones_and_postcodes_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/delivery/deliveryzone/add/",
        {
            "name": "Centre",
            "is_active": "on",
            "fee": "4,90",
            "minimum_order": "20,00",
            "postcodes-TOTAL_FORMS": "2",
            "postcodes-INITIAL_FORMS": "0",
            "postcodes-0-postcode": "73100",
            "postcodes-1-postcode": "73420",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    zone = DeliveryZone.objects.get(name="Centre")
    assert zone.fee == Decimal("4.90")
    assert sorted(zone.postcodes.values_list("postcode", flat=True)) == ["73100", "73420"]
    for url in ("/admin/delivery/deliveryzone/", "/admin/delivery/slot/"):
        assert client.get(url).status_code == 200
