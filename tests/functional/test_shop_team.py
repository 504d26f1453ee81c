"""A shop's team: its merchants add accounts by e-mail and remove them, for their shops only."""

import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import ShopFactory, merchant_create

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _tasks_run_in_process(eager_celery):
    """The e-mails go through Celery: run its tasks here even with a broker configured."""


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shop():
    return ShopFactory(name="Fromagerie du Lac")


@pytest.fixture
def owner(shop):
    return merchant_create(shop, email="owner@example.fr")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def team_url(shop) -> str:
    return reverse("merchant:team", kwargs={"slug": shop.code})


def remove_url(shop, user) -> str:
    return reverse("merchant:team-remove", kwargs={"slug": shop.code, "pk": user.pk})


def members(shop) -> list[str]:
    return sorted(shop.users.values_list("email", flat=True))


def test_team_page_lists_the_shops_accounts(owner_client, shop, owner):
    merchant_create(shop, email="colleague@example.fr")
    merchant_create(ShopFactory(), email="stranger@example.fr")
    response = owner_client.get(team_url(shop))
    assert response.status_code == 200
    assert [u.email for u in response.context["members"]] == [
        "colleague@example.fr",
        "owner@example.fr",
    ]
    html = response.content.decode()
    assert "stranger@example.fr" not in html
    assert 'for="id_email"' in html


def test_adding_an_existing_account_links_it_and_grants_the_dashboard(
    owner_client, shop, mailoutbox, django_capture_on_commit_callbacks
):
    resident = User.objects.create_user("resident", "Lucie@example.fr", "x" * 12)
    assert not resident.has_perm("partner.dashboard_access")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(team_url(shop), {"email": "  LUCIE@Example.FR "})
    assert response.status_code == 302 and response.url == team_url(shop)
    assert members(shop) == ["Lucie@example.fr", "owner@example.fr"]
    resident = User.objects.get(pk=resident.pk)
    assert resident.has_perm("partner.dashboard_access")
    assert mailoutbox == []  # they already have a password
    assert "fait maintenant partie" in owner_client.get(team_url(shop)).content.decode()


def test_a_merchant_may_work_for_several_shops(owner_client, shop):
    other_shop = ShopFactory(name="Cave")
    cave = merchant_create(other_shop, email="cave@example.fr")
    owner_client.post(team_url(shop), {"email": "cave@example.fr"})
    assert set(cave.partners.all()) == {shop, other_shop}


def test_adding_a_new_address_creates_the_account_and_emails_a_link_to_set_its_password(
    client, owner_client, shop, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.DIGITAIX_SITE_URL = "https://portail.example.fr"
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(team_url(shop), {"email": "nouveau@example.fr"})
    assert response.status_code == 302
    newcomer = User.objects.get(email="nouveau@example.fr")
    assert not newcomer.has_usable_password()
    assert newcomer.has_perm("partner.dashboard_access")
    assert members(shop) == ["nouveau@example.fr", "owner@example.fr"]
    (message,) = mailoutbox
    assert message.to == ["nouveau@example.fr"] and "Fromagerie du Lac" in message.subject
    assert message.alternatives[0][1] == "text/html"
    link = re.search(r"https://portail\.example\.fr(/\S+/)", message.body).group(1)
    assert link.startswith("/accounts/password-reset/confirm/") or "password-reset" in link
    # The newcomer, signed out, follows the link and chooses a password.
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "Fromage-de-Savoie-2025", "new_password2": "Fromage-de-Savoie-2025"},
    )
    assert done.status_code == 302
    assert authenticate(
        RequestFactory().post("/"), email="nouveau@example.fr", password="Fromage-de-Savoie-2025"
    )


def test_adding_a_member_twice_or_a_bad_address_is_refused(
    owner_client, shop, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        twice = owner_client.post(team_url(shop), {"email": "OWNER@example.fr"})
        bad = owner_client.post(team_url(shop), {"email": "pas-une-adresse"})
    assert twice.status_code == 200 and "fait déjà partie" in twice.content.decode()
    assert bad.status_code == 200 and "adresse e-mail valide" in bad.content.decode()
    assert 'id="id_email_error"' in bad.content.decode()
    assert members(shop) == ["owner@example.fr"]
    assert User.objects.count() == 1 and mailoutbox == []


def test_a_deactivated_account_cannot_join(owner_client, shop):
    User.objects.create_user("gone", "gone@example.fr", "x" * 12, is_active=False)
    response = owner_client.post(team_url(shop), {"email": "gone@example.fr"})
    assert "désactivé" in response.content.decode()
    assert members(shop) == ["owner@example.fr"]


def test_removing_a_member_unlinks_them_and_takes_back_the_dashboard(owner_client, shop):
    colleague = merchant_create(shop, email="colleague@example.fr")
    response = owner_client.post(remove_url(shop, colleague))
    assert response.status_code == 302 and response.url == team_url(shop)
    assert members(shop) == ["owner@example.fr"]
    colleague = User.objects.get(pk=colleague.pk)
    assert not colleague.has_perm("partner.dashboard_access")


def test_a_member_removed_from_one_shop_keeps_the_dashboard_for_the_other(owner_client, shop):
    colleague = merchant_create(shop, ShopFactory(), email="colleague@example.fr")
    owner_client.post(remove_url(shop, colleague))
    colleague = User.objects.get(pk=colleague.pk)
    assert colleague.has_perm("partner.dashboard_access") and colleague.partners.count() == 1


def test_the_last_member_cannot_be_removed(owner_client, shop, owner):
    response = owner_client.post(remove_url(shop, owner), follow=True)
    assert "Impossible de retirer le dernier membre" in response.content.decode()
    assert members(shop) == ["owner@example.fr"]
    assert User.objects.get(pk=owner.pk).has_perm("partner.dashboard_access")


def test_leaving_the_team_yourself(owner_client, shop, owner):
    merchant_create(shop, email="colleague@example.fr")
    response = owner_client.post(remove_url(shop, owner))
    assert response.status_code == 302 and response.url == reverse("home")
    assert members(shop) == ["colleague@example.fr"]


def test_remove_is_post_only(owner_client, shop):
    colleague = merchant_create(shop, email="colleague@example.fr")
    assert owner_client.get(remove_url(shop, colleague)).status_code == 405
    assert len(members(shop)) == 2


def test_merchant_of_shop_a_cannot_touch_the_team_of_shop_b(
    owner_client, shop, mailoutbox, django_capture_on_commit_callbacks
):
    shop_b = ShopFactory(name="Boutique B")
    owner_b = merchant_create(shop_b, email="b@example.fr")
    colleague_b = merchant_create(shop_b, email="b2@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_client.get(team_url(shop_b)).status_code == 404
        added = owner_client.post(team_url(shop_b), {"email": "intrus@example.fr"})
        removed = owner_client.post(remove_url(shop_b, colleague_b))
        # Shop A's own URL with a member of shop B: not one of shop A's members.
        crossed = owner_client.post(remove_url(shop, owner_b))
    assert (added.status_code, removed.status_code, crossed.status_code) == (404, 404, 404)
    assert members(shop_b) == ["b2@example.fr", "b@example.fr"]
    assert not User.objects.filter(email="intrus@example.fr").exists() and mailoutbox == []


def test_only_merchants_open_the_team_page(client, shop, owner):
    assert client.get(team_url(shop)).status_code == 302  # signed out: the login page
    resident = User.objects.create_user("resident", "resident@example.fr", "x" * 12)
    client.force_login(resident)
    assert client.get(team_url(shop)).status_code == 403
    assert client.post(remove_url(shop, owner)).status_code == 403
    assert members(shop) == ["owner@example.fr"]
