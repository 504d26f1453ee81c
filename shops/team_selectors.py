"""Queries about one shop's team (its members, their roles, its invitations).

Kept beside shops/selectors.py, and like it the one place such querysets are built: every
query here is limited to the shop it is given, or to one invitation's token.
"""

import hashlib

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from oscar.core.loading import get_model

from accounts.types import User, Visitor

Partner = get_model("partner", "Partner")
TeamMembership = get_model("partner", "TeamMembership")
TeamInvitation = get_model("partner", "TeamInvitation")


def shop_memberships(*, shop: Partner) -> QuerySet:
    """The accounts working for `shop` with their role, owners first, then by e-mail."""
    return (
        TeamMembership.objects.filter(partner=shop)
        .select_related("user")
        .order_by("-role", "user__email", "pk")  # "owner" sorts after "member": reversed
    )


def shop_team_accounts(*, shop: Partner) -> QuerySet:
    """The active accounts working for `shop` (whom its new orders ring for)."""
    return shop.users.filter(is_active=True)


def shop_member_get(*, shop: Partner, pk: int) -> User:
    """One member (an account) of `shop` by id; 404 for anyone else, so no account leaks."""
    return get_object_or_404(shop_memberships(shop=shop), user_id=pk).user


def shop_role(*, shop: Partner, user: Visitor) -> str | None:
    """`user`'s role in `shop`'s team, or None when they are not in it."""
    if not getattr(user, "pk", None):
        return None
    return (
        TeamMembership.objects.filter(partner=shop, user=user)
        .values_list("role", flat=True)
        .first()
    )


def shop_invitations_pending(*, shop: Partner) -> QuerySet:
    """`shop`'s invitations still waiting for an answer (expired ones included, marked so)."""
    return TeamInvitation.objects.filter(shop=shop, status=TeamInvitation.Status.PENDING).order_by(
        "email", "pk"
    )


def shop_invitation_get(*, shop: Partner, pk: int) -> TeamInvitation:
    """One of `shop`'s pending invitations; 404 for another shop's."""
    return get_object_or_404(shop_invitations_pending(shop=shop), pk=pk)


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str) -> TeamInvitation | None:
    """The invitation this link's token opens, whatever its state; None for an unknown one."""
    return (
        TeamInvitation.objects.select_related("shop", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
