"""/commercants/inscription/: a shopkeeper signs up and lands on their dashboard's checklist."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import ShopFactory, commerce_staff_create, merchant_create, week_hours

pytestmark = pytest.mark.django_db
User = get_user_model()
Partner = get_model("partner", "Partner")
URL = "/commercants/inscription/"


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Élise",
        "last_name": "Martin",
        "email": "elise@example.fr",
        "password1": "fromage-de-savoie-42",
        "password2": "fromage-de-savoie-42",
        "name": "Fromagerie du Lac",
        "trade": "fromagerie",
        "siret": "732 829 320 00074",
        "address_line": "3 place du Marché",
        "postcode": "74000",
        "city": "Annecy",
        "phone": "04 50 00 00 00",
        "offers_click_collect": "on",
    }
    return data | overrides


def test_signup_page_is_public_and_linked_from_the_site(client):
    assert reverse("merchant-signup") == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_siret"' in html and 'for="id_password2"' in html
    assert "Inscrivez votre boutique" in client.get("/").content.decode()


def test_signup_creates_merchant_and_pending_shop_and_mails_the_shop_and_the_link(
    client, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data())
    # Nobody is signed in: a registered address gets the very same answer (no enumeration).
    assert response.status_code == 302 and response.url == reverse("accounts:check-mailbox")
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="elise@example.fr")
    shop = Partner.objects.get()
    assert (shop.status, shop.code, shop.siret) == (
        "pending",
        "fromagerie-du-lac",
        "73282932000074",
    )
    assert (shop.offers_click_collect, shop.offers_delivery) == (True, False)
    assert list(shop.users.all()) == [user] and user.has_perm("partner.dashboard_access")
    assert len(mail.outbox) == 2
    assert all(m.to == ["elise@example.fr"] for m in mail.outbox)
    subjects = " | ".join(m.subject for m in mail.outbox)
    assert "en attente de validation" in subjects and "Confirmez votre adresse" in subjects

    client.post(
        "/dashboard/login/", {"username": "elise@example.fr", "password": "fromage-de-savoie-42"}
    )
    home = client.get(reverse("dashboard:index"), follow=True)  # signed in, on the shop's day
    assert home.status_code == 200
    assert home.redirect_chain[-1][0] == reverse("space:today", args=[shop.code])
    assert "en attente de validation par la mairie" in home.content.decode().lower()
    assert "digitaix/css/space.css" in home.content.decode()  # the portal's look, not Oscar's
    assert "digitaix/space/merchant_today.html" in [t.name for t in home.templates]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"siret": "73282932000075"}, "clé de contrôle"),
        ({"siret": "1234"}, "14 chiffres"),
        ({"password2": "autre-chose-encore-42"}, "ne correspondent pas"),
        ({"password1": "azerty", "password2": "azerty"}, "trop court"),
        ({"postcode": "7400"}, "5 chiffres"),
        ({"name": "  "}, "obligatoire"),
    ],
)
def test_bad_signup_shows_a_french_message_and_creates_nothing(
    client, overrides, message, django_capture_on_commit_callbacks
):
    User.objects.create_user("marie", "marie@example.fr", "x" * 12)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert 'aria-invalid="true"' in html
    assert User.objects.count() == 1 and not Partner.objects.exists()
    assert mail.outbox == [] and "_auth_user_id" not in client.session


def test_a_taken_shop_address_gets_a_numbered_one(client, django_capture_on_commit_callbacks):
    ShopFactory(name="Fromagerie du Lac (fermée)", code="fromagerie-du-lac")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data())
    assert Partner.objects.filter(status="pending").get().code == "fromagerie-du-lac-2"


def test_a_name_another_shop_has_is_refused(client, mailoutbox):
    ShopFactory(name="FROMAGÉRIE du lac")
    response = client.post(URL, form_data())
    assert "Une autre boutique porte déjà ce nom" in response.content.decode()
    assert not Partner.objects.filter(status="pending").exists() and mailoutbox == []


def test_a_merchant_already_signed_in_goes_to_their_space(client):
    client.force_login(merchant_create(ShopFactory()))
    response = client.get(URL)
    assert response.status_code == 302 and response.url == reverse("space:landing")
    assert client.post(URL, form_data()).status_code == 302
    assert Partner.objects.count() == 1


def test_a_signed_in_customer_registers_a_shop_under_their_own_account(
    client, eager_celery, django_capture_on_commit_callbacks
):
    customer = User.objects.create_user("c", "client@example.fr", "x" * 12)
    client.force_login(customer)
    page = client.get(URL).content.decode()
    assert 'name="password1"' not in page and "client@example.fr" in page
    data = {k: v for k, v in form_data().items() if not k.startswith(("password", "email"))}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302
    shop = Partner.objects.get()
    assert list(shop.users.all()) == [customer] and shop.status == "pending"
    assert User.objects.get(pk=customer.pk).has_perm("partner.dashboard_access")
    assert mail.outbox[0].to == ["client@example.fr"]


def test_merchant_home_runs_as_many_queries_for_three_shops_as_for_two(client):
    def measure(n: int) -> int:
        shops = [ShopFactory(status="pending") for _ in range(n)]
        for shop in shops:
            week_hours(shop, days=[0])
        client.force_login(merchant_create(*shops))
        client.get(reverse("space:merchant-home"))  # warm per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("space:merchant-home"))
        assert len(response.context["shops"]) == n
        return len(captured.captured_queries)

    assert measure(2) == measure(3)


def test_staff_go_from_oscars_dashboard_home_to_their_space(client):
    staff = commerce_staff_create()
    client.force_login(staff)
    response = client.get(reverse("dashboard:index"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("space:staff-home")
