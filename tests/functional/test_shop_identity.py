"""A live shop's name, SIRET and address change only once the town approves.

The change waits in the moderation queue beside the approved values, which the public keeps
seeing; staff approve (applied) or refuse with a reason (kept as it was); the merchants are
e-mailed either way. A pending shop edits them freely. No shop takes another's name, case
and accents aside, and a SIRET cannot be dropped.
"""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import ShopFactory, commerce_staff_create, merchant_create
from tests.functional.test_merchant_profile import profile_data

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
ShopIdentityChange = get_model("partner", "ShopIdentityChange")


@pytest.fixture(autouse=True)
def _tasks_run_in_process(eager_celery):
    """The e-mails go through Celery: run its tasks here even with a broker configured."""


@pytest.fixture
def shop():
    return ShopFactory(
        name="Fromagerie du Lac",
        code="fromagerie-du-lac",
        status="live",
        siret="73282932000074",
        address_line="3 place du Marché",
        postcode="74000",
        city="Annecy",
    )


@pytest.fixture
def merchant(client, shop):
    user = merchant_create(shop, email="elise@example.fr", role="owner")
    client.force_login(user)
    return user


@pytest.fixture
def staff():
    return commerce_staff_create()


def profile_url(shop) -> str:
    return reverse("merchant:profile", kwargs={"slug": shop.code})


def change_url(change) -> str:
    return reverse("moderation:identity-change", kwargs={"pk": change.pk})


def storefront(client, shop) -> str:
    return client.get(reverse("shops:storefront", kwargs={"slug": shop.code})).content.decode()


def test_a_live_shops_new_name_waits_and_the_public_still_sees_the_old_one(
    client, shop, merchant, staff, mailoutbox, django_capture_on_commit_callbacks
):
    data = profile_data(shop, name="Fromagerie des Alpes", description="Nouvelle présentation")
    response = client.post(profile_url(shop), data, follow=True)
    assert "attend la validation de la mairie" in response.content.decode()
    shop.refresh_from_db()
    # The rest of the profile is saved; the name waits.
    assert (shop.name, shop.description) == ("Fromagerie du Lac", "Nouvelle présentation")
    change = ShopIdentityChange.objects.get(status="pending")
    assert (change.before["name"], change.after["name"]) == (
        "Fromagerie du Lac",
        "Fromagerie des Alpes",
    )
    # The merchant's form shows what they asked for; the public, what was approved.
    assert response.context["form"].initial["name"] == "Fromagerie des Alpes"
    client.logout()
    html = storefront(client, shop)
    assert "Fromagerie du Lac" in html and "Fromagerie des Alpes" not in html
    # Staff see it in the queue, old and new, and approve it.
    client.force_login(staff)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert change_url(change) in queue and "Fromagerie des Alpes" in queue
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(change_url(change), {"action": "approve"})
    assert decided.status_code == 302
    shop.refresh_from_db()
    assert shop.name == "Fromagerie des Alpes"
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("approved", staff)
    (message,) = mailoutbox
    assert "elise@example.fr" in message.to and "validée" in message.subject
    client.logout()
    assert "Fromagerie des Alpes" in storefront(client, shop)


def test_a_refused_change_leaves_the_shop_as_it_was_and_tells_why(
    client, shop, merchant, staff, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(profile_url(shop), profile_data(shop, city="Chambéry", postcode="73000"))
    change = ShopIdentityChange.objects.get()
    client.force_login(staff)
    without_reason = client.post(change_url(change), {"action": "refuse", "reason": " "})
    assert "Indiquez le motif" in without_reason.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(change), {"action": "refuse", "reason": "Adresse hors commune"})
    shop.refresh_from_db()
    assert (shop.city, shop.postcode) == ("Annecy", "74000")
    change.refresh_from_db()
    assert (change.status, change.reason) == ("refused", "Adresse hors commune")
    (message,) = mailoutbox
    assert "refusée" in message.subject and "Adresse hors commune" in message.body
    file = client.get(reverse("moderation:shop", kwargs={"pk": shop.pk})).content.decode()
    assert change_url(change) in file and "Adresse hors commune" in file
    # A decided change cannot be decided again.
    again = client.post(change_url(change), {"action": "approve"})
    assert again.status_code == 200 and "déjà été traité" in again.content.decode()
    shop.refresh_from_db()
    assert shop.city == "Annecy"


def test_a_pending_shop_edits_its_identity_freely(client, shop, merchant):
    Partner.objects.filter(pk=shop.pk).update(status="pending")
    client.post(profile_url(shop), profile_data(shop, name="Fromagerie des Alpes"))
    shop.refresh_from_db()
    assert shop.name == "Fromagerie des Alpes"
    assert not ShopIdentityChange.objects.exists()


def test_asking_for_the_approved_values_again_withdraws_the_change(client, shop, merchant):
    client.post(profile_url(shop), profile_data(shop, name="Fromagerie des Alpes"))
    client.post(profile_url(shop), profile_data(shop, name="Fromagerie du Lac"))
    assert ShopIdentityChange.objects.get().status == "withdrawn"


@pytest.mark.parametrize("name", ["cave du port", "CAVE DU PÔRT", "  Cave   du Port "])
def test_a_name_another_shop_has_is_refused_case_and_accents_aside(client, shop, merchant, name):
    ShopFactory(name="Cave du Port")
    response = client.post(profile_url(shop), profile_data(shop, name=name))
    assert response.status_code == 200
    assert "Une autre boutique porte déjà ce nom" in response.content.decode()
    shop.refresh_from_db()
    assert shop.name == "Fromagerie du Lac" and not ShopIdentityChange.objects.exists()


def test_a_name_another_shop_waits_for_is_refused_too(client, shop, merchant, staff):
    other = ShopFactory(name="Cave du Port", status="live")
    ShopIdentityChange.objects.create(
        shop=other, before={"name": "Cave du Port"}, after={"name": "La Belle Cave"}
    )
    response = client.post(profile_url(shop), profile_data(shop, name="la belle cave"))
    assert "Une autre boutique porte déjà ce nom" in response.content.decode()


def test_the_siret_cannot_be_dropped(client, shop, merchant):
    for status in ("live", "pending"):
        Partner.objects.filter(pk=shop.pk).update(status=status)
        response = client.post(profile_url(shop), profile_data(shop, siret=""))
        assert "ne peut pas être supprimé" in response.content.decode()
    shop.refresh_from_db()
    assert shop.siret == "73282932000074" and not ShopIdentityChange.objects.exists()


def test_merchants_cannot_decide_identity_changes(client, shop, merchant):
    client.post(profile_url(shop), profile_data(shop, name="Fromagerie des Alpes"))
    change = ShopIdentityChange.objects.get()
    assert client.get(change_url(change)).status_code == 403
    assert client.post(change_url(change), {"action": "approve"}).status_code == 403
    shop.refresh_from_db()
    assert shop.name == "Fromagerie du Lac"
    assert ShopIdentityChange.objects.get().status == "pending"


def test_approval_is_refused_when_another_shop_took_the_name_meanwhile(
    client, shop, merchant, staff
):
    client.post(profile_url(shop), profile_data(shop, name="Fromagerie des Alpes"))
    change = ShopIdentityChange.objects.get()
    ShopFactory(name="Fromagerie des Alpes")  # e.g. approved by staff in the admin meanwhile
    client.force_login(staff)
    response = client.post(change_url(change), {"action": "approve"})
    assert "porte déjà le nom" in response.content.decode()
    shop.refresh_from_db()
    assert shop.name == "Fromagerie du Lac"
    assert ShopIdentityChange.objects.get().status == "pending"
