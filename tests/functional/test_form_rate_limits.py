"""Public forms that create accounts or send mail are rate-limited: over a limit, HTTP 429,
nothing written and nothing sent; the limit lifts after its window."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_model

from tests.clock import tomorrow_at
from tests.functional.test_merchant_signup import form_data

pytestmark = pytest.mark.django_db
User = get_user_model()
Partner = get_model("partner", "Partner")
START = tomorrow_at(10)  # the start of an hour: every window in play begins there


@pytest.fixture(autouse=True)
def _still(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client(client, django_capture_on_commit_callbacks, eager_celery):
    """Each request's e-mails leave once it commits (the outbox), as on the real site."""
    plain = client.request

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return plain(**kwargs)

    client.request = request
    return client


def _reset(client, email, **extra):
    return client.post("/password-reset/", {"email": email}, **extra)


def test_a_mailbox_gets_at_most_three_reset_mails_an_hour_then_again(client, _still):
    User.objects.create_user("victim", "victim@example.fr", "un-mot-de-passe-42")
    # From three addresses: the mailbox's own limit is what stops the fourth.
    for n in range(3):
        response = _reset(client, "victim@example.fr", REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    response = _reset(client, "Victim@Example.fr", REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert "réinitialisation" in response.content.decode()
    assert len(mail.outbox) == 3
    _still.shift(datetime.timedelta(hours=1))
    assert _reset(client, "victim@example.fr").status_code == 302
    assert len(mail.outbox) == 4


def test_one_address_asks_at_most_ten_resets_an_hour(client, settings):
    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "password_reset_ip": "2/h"}
    assert _reset(client, "a@example.fr").status_code == 302
    assert _reset(client, "b@example.fr").status_code == 302
    assert _reset(client, "c@example.fr").status_code == 429


def test_reset_answers_alike_for_unknown_emails_within_the_limit(client):
    User.objects.create_user("known", "known@example.fr", "un-mot-de-passe-42")
    known = _reset(client, "known@example.fr")
    unknown = _reset(client, "nobody@example.fr")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)


def test_merchant_signups_over_the_limit_get_429_and_create_nothing(client, settings, _still):
    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "signup_ip": "2/h"}
    for n in range(2):
        client.logout()
        response = client.post(
            "/commercants/inscription/",
            form_data(email=f"m{n}@example.fr", name=f"Boutique {n}"),
        )
        assert response.status_code == 302
    client.logout()
    response = client.post("/commercants/inscription/", form_data(email="m9@example.fr"))
    assert response.status_code == 429
    assert not User.objects.filter(email="m9@example.fr").exists()
    assert Partner.objects.count() == 2
    _still.shift(datetime.timedelta(hours=1))
    assert (
        client.post("/commercants/inscription/", form_data(email="m9@example.fr")).status_code
        == 302
    )


def test_resident_signups_over_the_limit_get_429_and_create_nothing(client, settings):
    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "signup_ip": "1/h"}

    def register(email):
        client.logout()
        data = {
            "registration-email": email,
            "registration-password1": "un-mot-de-passe-42",
            "registration-password2": "un-mot-de-passe-42",
            "registration_submit": "1",
        }
        return client.post("/accounts/login/", data)

    assert register("r1@example.fr").status_code == 302
    response = register("r2@example.fr")
    assert response.status_code == 429
    assert not User.objects.filter(email="r2@example.fr").exists()


def test_invalid_signups_do_not_use_up_the_limit(client, settings):
    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "signup_ip": "1/h"}
    for _ in range(3):
        assert client.post("/commercants/inscription/", form_data(siret="123")).status_code == 200
    assert client.post("/commercants/inscription/", form_data()).status_code == 302


def test_the_other_resident_signup_page_is_limited_too(client, settings):
    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "signup_ip": "1/h"}
    data = {"password1": "un-mot-de-passe-42", "password2": "un-mot-de-passe-42"}
    assert client.post("/accounts/register/", {"email": "r1@example.fr", **data}).status_code == 302
    client.logout()
    response = client.post("/accounts/register/", {"email": "r2@example.fr", **data})
    assert response.status_code == 429
    assert not User.objects.filter(email="r2@example.fr").exists()


def test_stock_alerts_to_typed_addresses_are_limited_per_client_address(client, settings):
    """Oscar mails one unconfirmed alert per mailbox already; a visitor could still mail a
    thousand mailboxes: the client's address has the password reset's limit."""
    from tests.factories import ProductFactory

    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "password_reset_ip": "2/h"}
    product = ProductFactory()
    url = f"/accounts/alerts/create/{product.pk}/"
    codes = [client.post(url, {"email": f"v{n}@example.fr"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    ProductAlert = get_model("customer", "ProductAlert")
    assert ProductAlert.objects.count() == 2
    assert len(mail.outbox) == 2
