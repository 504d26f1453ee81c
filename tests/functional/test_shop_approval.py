"""Approving a shop that lacks a product online, opening hours or a way to hand goods over asks
the town's staff to confirm, naming what is missing; without the ticked box the server refuses
and nothing changes. A complete shop is approved in one click, as before."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from oscar.core.loading import get_model

from messaging.models import OutboxMessage
from shops.moderation_selectors import shop_approval_gaps, shop_gaps_now
from shops.services import shop_moderate
from tests.factories import (
    OpeningHoursFactory,
    ShopFactory,
    commerce_staff_create,
    merchant_create,
    product_offered,
)

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
ModerationEvent = get_model("partner", "ModerationEvent")
Product = get_model("catalogue", "Product")

EVERY_GAP = "aucun produit en ligne, aucun horaire d'ouverture, ni retrait en boutique ni livraison"


@pytest.fixture
def staff_client(client):
    client.force_login(commerce_staff_create())
    return client


@pytest.fixture
def bare():
    """A pending shop with nothing: no product, no hours, neither pickup nor delivery."""
    shop = ShopFactory(name="Coquille Vide", status="pending", offers_click_collect=False)
    merchant_create(shop, email="vide@example.fr")
    return shop


@pytest.fixture
def ready():
    """A pending shop a resident could buy from once online (no logo, no SIRET: not asked)."""
    shop = ShopFactory(name="Prête à Ouvrir", status="pending")
    merchant_create(shop, email="prete@example.fr")
    product_offered(title="Miche", shop=shop)
    OpeningHoursFactory(shop=shop)
    return shop


def url(shop) -> str:
    return reverse("moderation:shop", kwargs={"pk": shop.pk})


def approve(client, shop, **extra):
    return client.post(url(shop), {"action": "approve", **extra})


def status_of(shop) -> str:
    return Partner.objects.get(pk=shop.pk).status


def test_the_approval_of_an_incomplete_shop_asks_to_confirm_and_names_what_is_missing(
    staff_client, bare
):
    response = staff_client.get(url(bare))
    html = response.content.decode()
    assert 'name="confirm"' in html
    assert f"Je confirme malgré : {EVERY_GAP}".replace("'", "&#x27;") in html
    assert 'name="gaps_seen" value="products hours services"' in html
    for key in ("products", "hours", "services", "logo", "siret"):
        assert f'data-gap="{key}"' in html  # the file says all it lacks


def test_without_the_ticked_box_the_approval_is_refused_and_changes_nothing(
    staff_client, bare, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(staff_client, bare, gaps_seen="products hours services")
    assert response.status_code == 200
    html = response.content.decode()
    assert "a pas été enregistrée" in html
    assert EVERY_GAP.replace("'", "&#x27;") in html
    assert status_of(bare) == "pending"
    assert not ModerationEvent.objects.exists() and not OutboxMessage.objects.exists()


def test_with_the_ticked_box_the_incomplete_shop_goes_online(staff_client, bare):
    response = approve(staff_client, bare, confirm="on", gaps_seen="products hours services")
    assert response.status_code == 302
    assert status_of(bare) == "live"
    assert ModerationEvent.objects.get().action == "approve"


def test_a_complete_shop_is_approved_in_one_click_without_a_box(staff_client, ready):
    html = staff_client.get(url(ready)).content.decode()
    assert 'name="confirm"' not in html and "data-gaps-confirm" not in html
    assert approve(staff_client, ready).status_code == 302
    assert status_of(ready) == "live"


def test_a_confirmation_covers_only_the_gaps_the_page_showed(staff_client, ready):
    """The page showed only "no hours"; meanwhile the merchant took their product off sale:
    the same confirmation no longer covers what the shop lacks, and the page asks again."""
    ready.opening_hours.all().delete()
    assert 'value="hours"' in staff_client.get(url(ready)).content.decode()
    ready.stockrecords.update(is_on_sale=False)
    response = approve(staff_client, ready, confirm="on", gaps_seen="hours")
    html = response.content.decode()
    assert response.status_code == 200 and status_of(ready) == "pending"
    assert "aucun produit en ligne" in html
    assert 'name="gaps_seen" value="products hours"' in html  # asked again, afresh


def test_a_forged_gap_list_does_not_confirm_more_than_it_names(staff_client, bare):
    response = approve(staff_client, bare, confirm="on", gaps_seen="logo siret n'importe quoi")
    assert response.status_code == 200 and status_of(bare) == "pending"


def test_offers_off_sale_and_withdrawn_products_are_no_product_online(ready):
    assert shop_approval_gaps(shop=ready) == []
    ready.stockrecords.update(is_on_sale=False)
    assert [gap.key for gap in shop_approval_gaps(shop=ready)] == ["products"]
    ready.stockrecords.update(is_on_sale=True)
    Product.objects.filter(stockrecords__partner=ready).update(is_public=False)
    assert [gap.key for gap in shop_approval_gaps(shop=ready)] == ["products"]


def test_delivery_alone_is_a_way_to_hand_goods_over(ready):
    Partner.objects.filter(pk=ready.pk).update(offers_click_collect=False, offers_delivery=True)
    assert shop_approval_gaps(shop=ready) == []
    Partner.objects.filter(pk=ready.pk).update(offers_delivery=False)
    assert [gap.key for gap in shop_approval_gaps(shop=ready)] == ["services"]


def test_logo_and_siret_are_shown_but_never_block_the_approval(ready):
    assert [gap.key for gap in shop_gaps_now(shop=ready)] == ["logo", "siret"]
    assert shop_approval_gaps(shop=ready) == []


def test_the_service_refuses_an_unconfirmed_approval_itself(bare):
    staff = commerce_staff_create()
    with pytest.raises(ValidationError) as error:
        shop_moderate(shop=bare, by=staff, action="approve", confirmed_gaps={"hours"})
    assert error.value.code == "approval_gaps"
    assert "aucun produit en ligne" in error.value.messages[0]
    assert "aucun horaire" not in error.value.messages[0]  # confirmed: not named again
    assert status_of(bare) == "pending"
    event = shop_moderate(
        shop=bare, by=staff, action="approve", confirmed_gaps={"products", "hours", "services"}
    )
    assert event.action == "approve" and status_of(bare) == "live"


def test_reinstating_a_suspended_shop_asks_nothing(bare):
    """The confirmation is the first approval's: a suspension's end restores what was."""
    Partner.objects.filter(pk=bare.pk).update(status="suspended")
    shop_moderate(shop=bare, by=commerce_staff_create(), action="reinstate")
    assert status_of(bare) == "live"
