"""Town staff and superusers sign in with a second factor (TOTP app or a recovery code);
without one set up they reach only the page that sets it up."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import recovery_codes_renew
from tests.accounts import totp_now
from tests.factories import ShopFactory, commerce_staff_create, merchant_create

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]
User = get_user_model()
PASSWORD = "mairie-aix-2026"
SETUP = "/comptes/double-authentification/configurer/"
VERIFY = "/comptes/double-authentification/"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff():
    return commerce_staff_create(email="mairie@example.fr", password=PASSWORD)


def _login(client, email="mairie@example.fr"):
    client.post("/dashboard/login/", {"username": email, "password": PASSWORD})
    assert "_auth_user_id" in client.session


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC)) as traveller:
        yield traveller


def _after_the_throttle_delay(clock):
    """django-otp makes a device wait a second after a wrong code (twice as long each time)."""
    clock.shift(datetime.timedelta(seconds=2))


def _confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Application", confirmed=True)


@pytest.mark.parametrize("url", ["/gestion/", "/gestion/moderation/", "/admin/", "/"])
def test_staff_without_a_second_factor_reach_only_its_setup(client, staff, url):
    _login(client)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(SETUP)


def test_setting_up_the_authenticator_shows_recovery_codes_then_opens_the_dashboard(
    client, staff, clock
):
    _login(client)
    page = client.get(SETUP + "?next=/dashboard/moderation/")
    assert page.status_code == 200
    assert "Clé à saisir" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong = client.post(SETUP, {"token": "000000", "next": "/gestion/moderation/"})
    assert "pas valable" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    _after_the_throttle_delay(clock)
    done = client.post(SETUP, {"token": totp_now(device), "next": "/gestion/moderation/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=staff).count() == 10
    assert client.get("/gestion/moderation/").status_code == 200


def test_a_staff_member_with_an_authenticator_types_a_code_at_each_login(client, staff, clock):
    device = _confirmed_device(staff)
    _login(client)
    response = client.get("/gestion/moderation/")
    assert response.url.startswith(VERIFY)
    wrong = client.post(VERIFY, {"token": "123456", "next": "/gestion/moderation/"})
    assert wrong.status_code == 200 and "pas valable" in wrong.content.decode()
    assert client.get("/gestion/").status_code == 302
    _after_the_throttle_delay(clock)
    right = client.post(VERIFY, {"token": totp_now(device), "next": "/gestion/moderation/"})
    assert right.url == "/gestion/moderation/"
    assert client.get("/gestion/moderation/").status_code == 200


def test_a_recovery_code_works_once(client, staff):
    _confirmed_device(staff)
    code = recovery_codes_renew(user=staff)[0]
    _login(client)
    assert client.post(VERIFY, {"token": code.upper()}).status_code == 302
    assert client.get("/gestion/").status_code == 200
    client.post("/accounts/logout/")
    _login(client)
    assert client.post(VERIFY, {"token": code}).status_code == 200
    assert client.get("/gestion/").status_code == 302


def test_a_password_alone_cannot_replace_the_authenticator(client, staff):
    _confirmed_device(staff)
    _login(client)
    response = client.get(SETUP)
    assert response.url == VERIFY
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_commerce_staff_without_is_staff_need_it_too(client, staff):
    staff.is_staff = False
    staff.save()
    _login(client)
    assert client.get("/gestion/moderation/").url.startswith(SETUP)


def test_a_superuser_needs_it(client):
    User.objects.create_superuser("root", "root@example.fr", PASSWORD)
    _login(client, "root@example.fr")
    assert client.get("/admin/").url.startswith(SETUP)


def test_merchants_and_residents_are_not_asked(client):
    merchant_create(ShopFactory(), email="marchand@example.fr", password=PASSWORD)
    _login(client, "marchand@example.fr")
    assert client.get("/ma-boutique/", follow=True).status_code == 200


def test_an_unverified_staff_member_can_still_sign_out(client, staff):
    _login(client)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_demo_setting_turns_it_off(client, staff, settings):
    settings.DIGITAIX_STAFF_SECOND_FACTOR = False
    _login(client)
    assert client.get("/gestion/moderation/").status_code == 200


def test_too_many_codes_are_refused(client, staff):
    _confirmed_device(staff)
    _login(client)
    for _ in range(10):
        client.post(VERIFY, {"token": "111111"})
    assert client.post(VERIFY, {"token": "111111"}).status_code == 429


def test_the_next_page_never_leaves_the_site(client, staff):
    device = _confirmed_device(staff)
    _login(client)
    response = client.post(VERIFY, {"token": totp_now(device), "next": "https://evil.example"})
    assert response.url == "/espace/"
