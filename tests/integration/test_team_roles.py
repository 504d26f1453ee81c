"""Team roles in the database: existing shops get an owner, and only owners manage a team."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from oscar.core.loading import get_model

from shops.services import shop_member_remove, shop_member_role_set, team_invitation_create
from tests.factories import ShopFactory, merchant_create

pytestmark = pytest.mark.django_db
TeamMembership = get_model("partner", "TeamMembership")
TeamInvitation = get_model("partner", "TeamInvitation")


def test_the_migration_makes_each_shops_first_linked_account_its_owner():
    shop, other, empty = ShopFactory(), ShopFactory(), ShopFactory()
    founder = merchant_create(shop, email="founder@example.fr")
    merchant_create(shop, email="later@example.fr")
    merchant_create(other, email="other@example.fr")
    assert set(TeamMembership.objects.values_list("role", flat=True)) == {"member"}
    migration = importlib.import_module("shops.migrations.0016_team_membership_roles")
    migration.first_member_owns(apps, None)
    owners = TeamMembership.objects.filter(role="owner")
    assert sorted(owners.values_list("user__email", flat=True)) == [
        "founder@example.fr",
        "other@example.fr",
    ]
    assert shop.memberships.get(user=founder).role == "owner"
    assert not empty.memberships.exists()


def test_services_refuse_a_member_whatever_the_screen():
    shop = ShopFactory()
    owner = merchant_create(shop, email="owner@example.fr", role="owner")
    member = merchant_create(shop, email="member@example.fr")
    with pytest.raises(PermissionDenied):
        team_invitation_create(shop=shop, email="friend@example.fr", by=member)
    with pytest.raises(PermissionDenied):
        shop_member_remove(shop=shop, user=owner, by=member)
    with pytest.raises(PermissionDenied):
        shop_member_role_set(shop=shop, user=member, role="owner", by=member)
    assert not TeamInvitation.objects.exists()
    assert sorted(shop.memberships.values_list("role", flat=True)) == ["member", "owner"]


def test_the_last_owner_cannot_demote_themselves_nor_leave():
    shop = ShopFactory()
    owner = merchant_create(shop, email="owner@example.fr", role="owner")
    for act in (
        lambda: shop_member_role_set(shop=shop, user=owner, role="member", by=owner),
        lambda: shop_member_remove(shop=shop, user=owner, by=owner),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert refused.value.code == "owner_last"
    assert shop.memberships.get(user=owner).role == "owner"
