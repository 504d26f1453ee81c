"""A shop's team: who runs it and with which role. Only owners manage it.

The shop's row is locked by every change, so two owners acting at once cannot both leave
the shop without an owner. Joining goes through an invitation (shops.services.invitations).
"""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.types import User

if TYPE_CHECKING:
    from django.contrib.auth.models import Permission

Partner = get_model("partner", "Partner")
TeamMembership = get_model("partner", "TeamMembership")
Role = TeamMembership.Role


def dashboard_access() -> "Permission":
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")


def owner_required(*, shop: Partner, by: User) -> None:
    """Refuse (403) anyone but an owner of `shop`; the rule itself lives in shops.access."""
    from shops.access import is_shop_owner

    if not is_shop_owner(by, shop):
        raise PermissionDenied(_("Seuls les propriétaires de la boutique gèrent son équipe."))


def _membership(*, shop: Partner, user) -> TeamMembership:
    membership = TeamMembership.objects.filter(partner=shop, user=user).first()
    if membership is None:
        raise ValidationError(
            _("Ce compte ne fait pas partie de l'équipe de « %(shop)s ».") % {"shop": shop.name},
            code="member_unknown",
        )
    return membership


def _last_owner_refused(*, shop: Partner, membership: TeamMembership) -> None:
    owners = TeamMembership.objects.filter(partner=shop, role=Role.OWNER)
    if membership.role == Role.OWNER and not owners.exclude(pk=membership.pk).exists():
        raise ValidationError(
            _(
                "« %(shop)s » doit garder au moins un propriétaire : "
                "nommez d'abord un autre membre propriétaire."
            )
            % {"shop": shop.name},
            code="owner_last",
        )


@transaction.atomic
def shop_member_remove(*, shop: Partner, user: User, by: User) -> None:
    """Take `user` off `shop`'s team: an owner removes anyone, a member may leave.

    The last owner can neither be removed nor leave (403 for a member removing someone
    else; a French refusal for the last owner). `user` loses the dashboard access with
    their last shop.
    """
    shop = Partner.objects.select_for_update().get(pk=shop.pk)
    if by.pk != user.pk:
        owner_required(shop=shop, by=by)
    membership = _membership(shop=shop, user=user)
    _last_owner_refused(shop=shop, membership=membership)
    membership.delete()
    # The merchant's access goes with their last shop, whoever they are otherwise: the town's
    # staff hold theirs through their group (shops.access), never through this permission.
    if not user.partners.exists():
        user.user_permissions.remove(dashboard_access())


@transaction.atomic
def shop_member_role_set(*, shop: Partner, user: User, role: str, by: User) -> TeamMembership:
    """Make a member an owner, or an owner a member; owners only, never the last owner."""
    role = Role(role)
    shop = Partner.objects.select_for_update().get(pk=shop.pk)
    owner_required(shop=shop, by=by)
    membership = _membership(shop=shop, user=user)
    if membership.role == role:
        return membership
    if role == Role.MEMBER:
        _last_owner_refused(shop=shop, membership=membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership
