"""A shop's team: its owners invite, remove and change roles, for their shops only.

The founder owns the shop; a member sees the team and may leave, nothing more; the last owner
can neither be removed nor leave.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import ShopFactory, commerce_staff_create, merchant_create

pytestmark = pytest.mark.django_db
User = get_user_model()
TeamInvitation = get_model("partner", "TeamInvitation")


@pytest.fixture(autouse=True)
def _tasks_run_in_process(eager_celery):
    """The e-mails go through Celery: run its tasks here even with a broker configured."""


@pytest.fixture
def shop():
    return ShopFactory(name="Fromagerie du Lac")


@pytest.fixture
def owner(shop):
    return merchant_create(shop, email="owner@example.fr", role="owner")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def team_url(shop) -> str:
    return reverse("merchant:team", kwargs={"slug": shop.code})


def remove_url(shop, user) -> str:
    return reverse("merchant:team-remove", kwargs={"slug": shop.code, "pk": user.pk})


def role_url(shop, user) -> str:
    return reverse("merchant:team-role", kwargs={"slug": shop.code, "pk": user.pk})


def members(shop) -> list[tuple[str, str]]:
    return sorted(shop.memberships.values_list("user__email", "role"))


def test_the_founder_of_a_new_shop_owns_it(client):
    from shops.onboarding import shop_create

    founder = User.objects.create_user("founder", "founder@example.fr", "x" * 12)
    fields = {"name": "Cave du Port", "siret": "73282932000074", "city": "Annecy"}
    shop = shop_create(user=founder, fields=fields)
    assert members(shop) == [("founder@example.fr", "owner")]


def test_team_page_lists_the_shops_accounts_with_their_role(owner_client, shop, owner):
    merchant_create(shop, email="colleague@example.fr")
    merchant_create(ShopFactory(), email="stranger@example.fr")
    response = owner_client.get(team_url(shop))
    assert response.status_code == 200
    assert [(m.user.email, m.role) for m in response.context["members"]] == [
        ("owner@example.fr", "owner"),
        ("colleague@example.fr", "member"),
    ]
    html = response.content.decode()
    assert "stranger@example.fr" not in html
    assert 'for="id_email"' in html and "Propriétaire" in html


def test_removing_a_member_unlinks_them_and_takes_back_the_dashboard(owner_client, shop):
    colleague = merchant_create(shop, email="colleague@example.fr")
    response = owner_client.post(remove_url(shop, colleague))
    assert response.status_code == 302 and response.url == team_url(shop)
    assert members(shop) == [("owner@example.fr", "owner")]
    colleague = User.objects.get(pk=colleague.pk)
    assert not colleague.has_perm("partner.dashboard_access")


def test_a_staff_account_removed_from_the_team_loses_the_merchants_access_too(owner_client, shop):
    """Being staff does not keep a merchant's access: the town's role comes from its group."""
    staff = commerce_staff_create(email="mairie@example.fr")
    staff.user_permissions.add(
        Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    )
    shop.users.add(staff)
    assert owner_client.post(remove_url(shop, staff)).status_code == 302
    staff = User.objects.get(pk=staff.pk)
    assert not staff.has_perm("partner.dashboard_access")
    assert staff.has_perm("partner.moderate_shops")


def test_a_member_removed_from_one_shop_keeps_the_dashboard_for_the_other(owner_client, shop):
    colleague = merchant_create(shop, ShopFactory(), email="colleague@example.fr")
    owner_client.post(remove_url(shop, colleague))
    colleague = User.objects.get(pk=colleague.pk)
    assert colleague.has_perm("partner.dashboard_access") and colleague.partners.count() == 1


def test_the_founder_cannot_be_removed_nor_leave_while_last_owner(client, shop, owner):
    colleague = merchant_create(shop, email="colleague@example.fr")
    client.force_login(owner)
    response = client.post(remove_url(shop, owner), follow=True)
    assert "doit garder au moins un propriétaire" in response.content.decode()
    demoted = client.post(role_url(shop, owner), {"role": "member"}, follow=True)
    assert "doit garder au moins un propriétaire" in demoted.content.decode()
    # A member trying to remove the founder: forbidden outright.
    client.force_login(colleague)
    assert client.post(remove_url(shop, owner)).status_code == 403
    assert members(shop) == [("colleague@example.fr", "member"), ("owner@example.fr", "owner")]
    assert User.objects.get(pk=owner.pk).has_perm("partner.dashboard_access")


def test_an_owner_leaves_once_another_owner_is_named(owner_client, shop, owner):
    colleague = merchant_create(shop, email="colleague@example.fr")
    promoted = owner_client.post(role_url(shop, colleague), {"role": "owner"})
    assert promoted.status_code == 302
    response = owner_client.post(remove_url(shop, owner))
    assert response.status_code == 302 and response.url == reverse("home")
    assert members(shop) == [("colleague@example.fr", "owner")]


def test_a_member_may_leave_the_team(client, shop, owner):
    colleague = merchant_create(shop, email="colleague@example.fr")
    client.force_login(colleague)
    response = client.post(remove_url(shop, colleague))
    assert response.status_code == 302 and response.url == reverse("home")
    assert members(shop) == [("owner@example.fr", "owner")]


def test_a_member_cannot_invite_remove_or_change_roles(
    client, shop, owner, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = merchant_create(shop, email="colleague@example.fr")
    other = merchant_create(shop, email="other@example.fr")
    client.force_login(colleague)
    page = client.get(team_url(shop))
    assert page.status_code == 200 and 'for="id_email"' not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(team_url(shop), {"email": "friend@example.fr"})
        removed = client.post(remove_url(shop, other))
        promoted = client.post(role_url(shop, colleague), {"role": "owner"})
        demoted = client.post(role_url(shop, owner), {"role": "member"})
    statuses = {r.status_code for r in (invited, removed, promoted, demoted)}
    assert statuses == {403}
    assert members(shop) == [
        ("colleague@example.fr", "member"),
        ("other@example.fr", "member"),
        ("owner@example.fr", "owner"),
    ]
    assert not TeamInvitation.objects.exists() and mailoutbox == []


def test_an_unknown_role_is_refused(owner_client, shop):
    colleague = merchant_create(shop, email="colleague@example.fr")
    response = owner_client.post(role_url(shop, colleague), {"role": "admin"}, follow=True)
    assert "Rôle inconnu" in response.content.decode()
    assert ("colleague@example.fr", "member") in members(shop)


def test_remove_and_role_are_post_only(owner_client, shop):
    colleague = merchant_create(shop, email="colleague@example.fr")
    assert owner_client.get(remove_url(shop, colleague)).status_code == 405
    assert owner_client.get(role_url(shop, colleague)).status_code == 405
    assert len(members(shop)) == 2


def test_owner_of_shop_a_cannot_touch_the_team_of_shop_b(
    owner_client, shop, mailoutbox, django_capture_on_commit_callbacks
):
    shop_b = ShopFactory(name="Boutique B")
    owner_b = merchant_create(shop_b, email="b@example.fr", role="owner")
    colleague_b = merchant_create(shop_b, email="b2@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert owner_client.get(team_url(shop_b)).status_code == 404
        added = owner_client.post(team_url(shop_b), {"email": "intrus@example.fr"})
        removed = owner_client.post(remove_url(shop_b, colleague_b))
        role = owner_client.post(role_url(shop_b, colleague_b), {"role": "owner"})
        # Shop A's own URL with a member of shop B: not one of shop A's members.
        crossed = owner_client.post(remove_url(shop, owner_b))
    codes = (added.status_code, removed.status_code, role.status_code, crossed.status_code)
    assert codes == (404, 404, 404, 404)
    assert members(shop_b) == [("b2@example.fr", "member"), ("b@example.fr", "owner")]
    assert not TeamInvitation.objects.exists() and mailoutbox == []


def test_only_merchants_open_the_team_page(client, shop, owner):
    assert client.get(team_url(shop)).status_code == 302  # signed out: the login page
    resident = User.objects.create_user("resident", "resident@example.fr", "x" * 12)
    client.force_login(resident)
    assert client.get(team_url(shop)).status_code == 403
    assert client.post(remove_url(shop, owner)).status_code == 403
    assert members(shop) == [("owner@example.fr", "owner")]
