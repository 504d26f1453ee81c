"""Every login is throttled (django-axes): 5 failures for one account from one address lock
that pair for 15 minutes, even against the right password."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.clock import tomorrow_at
from tests.factories import commerce_staff_create

User = get_user_model()
PASSWORD = "mot-de-passe-solide-42"
START = tomorrow_at(10)  # the start of an hour: every window in play begins there

# Each login: its URL and how its form names the e-mail and the password.
LOGINS = {
    "residents": ("/accounts/login/", "login-username", "login-password", {"login_submit": "1"}),
    "dashboard": ("/dashboard/login/", "username", "password", {}),
    "admin": ("/admin/login/", "username", "password", {}),
}


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    """Staff, so that the admin's login accepts the account too."""
    return commerce_staff_create(email="anne@example.fr", password=PASSWORD)


def _login(client, which, email, password, **extra):
    url, user_field, password_field, more = LOGINS[which]
    data = {user_field: email, password_field: password, **more}
    return client.post(url, data, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, which, times=5, **extra):
    for _ in range(times):
        response = _login(client, which, "anne@example.fr", "mauvais", **extra)
        assert not _signed_in(client)
    return response


@pytest.mark.parametrize("which", LOGINS)
def test_five_failures_lock_the_account_even_against_the_right_password(client, staff, which):
    _fail(client, which)
    response = _login(client, which, "anne@example.fr", PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    body = response.content.decode()
    assert "la connexion est bloquée" in body
    assert "15 minutes" in body
    assert "/password-reset/" in body


def test_the_lock_ends_after_fifteen_minutes(client, staff):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, "residents")
        traveller.shift(datetime.timedelta(minutes=14))
        assert _login(client, "residents", "anne@example.fr", PASSWORD).status_code == 429
        traveller.shift(datetime.timedelta(minutes=16))
        _login(client, "residents", "anne@example.fr", PASSWORD)
        assert _signed_in(client)


def test_the_lock_holds_whatever_case_the_email_is_typed_in(client, staff):
    _fail(client, "dashboard")
    response = _login(client, "dashboard", "ANNE@Example.FR", PASSWORD)
    assert response.status_code == 429


def test_another_address_is_not_locked(client, staff):
    _fail(client, "dashboard", REMOTE_ADDR="198.51.100.1")
    _login(client, "dashboard", "anne@example.fr", PASSWORD, REMOTE_ADDR="198.51.100.2")
    assert _signed_in(client)


def test_a_spoofed_forwarded_for_never_unlocks_without_trusted_proxies(client, staff, settings):
    settings.DIGITAIX_TRUSTED_PROXIES = 0
    _fail(client, "dashboard")
    spoofed = {"HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    assert _login(client, "dashboard", "anne@example.fr", PASSWORD, **spoofed).status_code == 429
    assert not _signed_in(client)


def test_a_spoofed_forwarded_for_never_unlocks_behind_a_trusted_proxy(client, staff, settings):
    settings.DIGITAIX_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    _fail(client, "dashboard", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    # The client now prepends made-up addresses: our proxy still appends the real one.
    spoofed = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.5", **proxy}
    assert _login(client, "dashboard", "anne@example.fr", PASSWORD, **spoofed).status_code == 429
    assert not _signed_in(client)


def test_a_success_resets_the_counter(client, staff):
    _fail(client, "dashboard", times=4)
    _login(client, "dashboard", "anne@example.fr", PASSWORD)
    assert _signed_in(client)
    client.logout()
    _fail(client, "dashboard", times=4)
    _login(client, "dashboard", "anne@example.fr", PASSWORD)
    assert _signed_in(client)


def test_staff_unlock_a_locked_account_from_the_admin(client, staff):
    _fail(client, "residents")
    admin = User.objects.create_superuser("root", "root@example.fr", PASSWORD)
    admin_client = client.__class__()
    admin_client.force_login(admin)
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    assert ids
    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    _login(client, "residents", "anne@example.fr", PASSWORD)
    assert _signed_in(client)


def test_the_attempts_log_never_keeps_a_password(client, staff):
    _fail(client, "residents", times=1)
    _fail(client, "dashboard", times=1)
    logged = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "mauvais" not in logged


def test_login_hashes_as_much_for_an_unknown_email_as_for_a_known_one(
    client, staff, settings, monkeypatch
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    calls = []
    original = PBKDF2PasswordHasher.encode

    def counting(self, password, salt, iterations=None):
        calls.append(password)
        return original(self, password, salt, iterations)

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", counting)
    _login(client, "residents", "anne@example.fr", "mauvais")
    known = len(calls)
    calls.clear()
    _login(client, "residents", "personne@example.fr", "mauvais")
    assert known >= 1
    assert len(calls) == known


@pytest.mark.parametrize("which", sorted(LOGINS))
def test_a_pasted_essay_as_login_is_a_failure_not_a_500(client, staff, which):
    """Axes keeps the login typed in a 255-character column: PostgreSQL refused a longer one
    with a 500 (found by the form walk)."""
    response = _login(client, which, "a" * 5000 + "@example.fr", "mauvais")
    assert response.status_code == 200 and not _signed_in(client)
    assert all(
        len(name) <= 254 for name in AccessAttempt.objects.values_list("username", flat=True)
    )
