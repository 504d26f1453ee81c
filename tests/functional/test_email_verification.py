"""Sign-ups prove their address by a signed link; a registered address is never revealed."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from accounts.verification import email_is_verified
from tests.accounts import verification_path
from tests.factories import commerce_staff_create
from tests.functional.test_merchant_signup import form_data

pytestmark = pytest.mark.django_db
User = get_user_model()
Partner = get_model("partner", "Partner")
RESIDENT = {
    "registration-password1": "un-mot-de-passe-42",
    "registration-password2": "un-mot-de-passe-42",
    "registration_submit": "1",
}


@pytest.fixture(autouse=True)
def _setup(eager_celery, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """Each request's e-mails leave once it commits, as on the real site."""
    plain = client.request

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return plain(**kwargs)

    client.request = request
    return client


def _merchant_signup(client, **overrides):
    client.logout()
    return client.post("/commercants/inscription/", form_data(**overrides), follow=True)


def _page(response) -> tuple:
    """What a visitor sees of an answer: the pages it went through and its text (CSRF
    tokens and CSP nonces aside, which differ on every page)."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    body = re.sub(r'nonce="[^"]+"', "", body)
    return response.status_code, response.redirect_chain, body


def test_merchant_signup_with_a_registered_address_answers_like_a_new_one(client):
    new = _page(_merchant_signup(client, email="new@example.fr"))
    mail.outbox.clear()
    owner = User.objects.create_user("owner", "taken@example.fr", "son-mot-de-passe-42")
    taken = _page(_merchant_signup(client, email="TAKEN@example.fr", name="Autre boutique"))
    assert taken == new
    assert "_auth_user_id" not in client.session
    assert not Partner.objects.filter(name="Autre boutique").exists()
    assert User.objects.filter(email__iexact="taken@example.fr").count() == 1
    assert owner.check_password("son-mot-de-passe-42")
    [message] = mail.outbox
    assert message.to == ["taken@example.fr"]
    assert "déjà un compte" in message.subject and "/password-reset/" in message.body
    assert "/comptes/verifier/" not in message.body


def test_a_pending_shop_reaches_the_queue_once_its_merchant_opens_the_link(client):
    _merchant_signup(client, email="elise@example.fr")
    staff = client.__class__()
    staff.force_login(commerce_staff_create())
    queue = reverse("moderation:queue")
    assert "Fromagerie du Lac" not in staff.get(queue).content.decode()
    response = client.get(verification_path(mail.outbox))
    assert response.status_code == 302
    assert email_is_verified(User.objects.get(email="elise@example.fr"))
    assert "Fromagerie du Lac" in staff.get(queue).content.decode()


def test_resident_signup_with_a_registered_address_answers_like_a_new_one(client):
    client.post("/accounts/login/", {"registration-email": "new@example.fr", **RESIDENT})
    client.logout()
    new = client.post(
        "/accounts/login/", {"registration-email": "new2@example.fr", **RESIDENT}, follow=True
    )
    client.logout()
    mail.outbox.clear()
    User.objects.create_user("owner", "taken@example.fr", "son-mot-de-passe-42")
    taken = client.post(
        "/accounts/login/", {"registration-email": "Taken@example.fr", **RESIDENT}, follow=True
    )
    assert _page(taken) == _page(new)
    assert User.objects.filter(email__iexact="taken@example.fr").count() == 1
    assert [m.to for m in mail.outbox] == [["taken@example.fr"]]
    assert "déjà un compte" in mail.outbox[0].subject


def test_a_resident_signs_in_and_orders_before_verifying_then_verifies(client):
    response = client.post("/accounts/login/", {"registration-email": "r@example.fr", **RESIDENT})
    assert response.url == reverse("accounts:check-mailbox")
    user = User.objects.get(email="r@example.fr")
    assert not email_is_verified(user)
    login = {"login-username": "r@example.fr", "login-password": "un-mot-de-passe-42"}
    client.post("/accounts/login/", {**login, "login_submit": "1"})
    assert client.get("/basket/").status_code == 200 and "_auth_user_id" in client.session
    client.get(verification_path(mail.outbox))
    assert email_is_verified(user)


def test_a_forged_or_expired_link_or_a_changed_address_proves_nothing(client):
    client.post("/accounts/login/", {"registration-email": "r@example.fr", **RESIDENT})
    path = verification_path(mail.outbox)
    user = User.objects.get(email="r@example.fr")
    assert client.get(path[:-3] + "xx/").status_code == 400
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=8)
    with time_machine.travel(later):
        response = client.get(path)
    assert response.status_code == 400 and "expiré" in response.content.decode()
    user.email = "autre@example.fr"
    user.save()
    assert client.get(path).status_code == 400
    assert not email_is_verified(user)


def test_a_changed_address_is_unproven_again(client):
    client.post("/accounts/login/", {"registration-email": "r@example.fr", **RESIDENT})
    client.get(verification_path(mail.outbox))
    user = User.objects.get(email="r@example.fr")
    assert email_is_verified(user)
    user.email = "autre@example.fr"
    user.save()
    assert not email_is_verified(user)


def test_asking_the_link_again_answers_alike_and_at_most_three_an_hour(client):
    client.post("/accounts/login/", {"registration-email": "r@example.fr", **RESIDENT}, follow=True)
    assert len(mail.outbox) == 2  # Oscar's welcome and our link
    unknown = client.post("/comptes/verifier/", {"email": "nobody@example.fr"}, follow=True)
    known = client.post("/comptes/verifier/", {"email": "r@example.fr"}, follow=True)
    assert _page(unknown) == _page(known)
    for _ in range(3):
        client.post("/comptes/verifier/", {"email": "r@example.fr"})
    links = [m for m in mail.outbox if "/comptes/verifier/" in m.body]
    assert len(links) == 3  # the first and two more: the mailbox's 3 an hour


def test_a_verified_address_gets_no_more_links(client):
    client.post("/accounts/login/", {"registration-email": "r@example.fr", **RESIDENT})
    client.get(verification_path(mail.outbox))
    mail.outbox.clear()
    client.post("/comptes/verifier/", {"email": "r@example.fr"})
    assert mail.outbox == []


def test_account_exists_mails_are_limited_per_mailbox(client):
    User.objects.create_user("owner", "taken@example.fr", "son-mot-de-passe-42")
    for n in range(5):
        _merchant_signup(client, email="taken@example.fr", name=f"Boutique {n}")
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("proven", [False, True])
def test_a_signed_in_customer_adding_a_shop_gets_the_link_unless_proven(client, proven):
    from accounts.models import EmailVerification

    customer = User.objects.create_user("c", "client@example.fr", "x" * 12)
    if proven:
        EmailVerification.objects.create(user=customer, email=customer.email)
    client.force_login(customer)
    data = {k: v for k, v in form_data().items() if not k.startswith(("password", "email"))}
    assert client.post("/commercants/inscription/", data).status_code == 302
    links = [m for m in mail.outbox if "/comptes/verifier/" in m.body]
    assert len(links) == (0 if proven else 1)
