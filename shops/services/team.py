"""A shop's team: the accounts that run it, invited by e-mail."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shops.messages import team_invite_message_add

Partner = get_model("partner", "Partner")

# --- A shop's team: the accounts that run it -------------------------------------------------


def _dashboard_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")


@transaction.atomic
def shop_member_add(*, shop: Partner, email: str):
    """Give the account with this e-mail access to `shop`; returns (user, created).

    An unknown address gets a new account without a password and an e-mail (written in the
    outbox with the account) with a link to choose one, made when the e-mail leaves. As
    Oscar's "link user" view does, the account is granted the merchant dashboard access.
    Refused in French for a member already there or a deactivated account.
    """
    from django.contrib.auth import get_user_model
    from django.utils.crypto import get_random_string

    from shops.onboarding import email_normalize

    User = get_user_model()
    shop = Partner.objects.select_for_update().get(pk=shop.pk)
    email = email_normalize(email)
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    created = user is None
    if created:
        user = User(username=get_random_string(30), email=email)
        user.set_unusable_password()
        user.save()
    elif not user.is_active:
        raise ValidationError(
            _("Le compte %(email)s est désactivé : il ne peut pas rejoindre l'équipe.")
            % {"email": user.email},
            code="member_inactive",
        )
    elif shop.users.filter(pk=user.pk).exists():
        raise ValidationError(
            _("%(email)s fait déjà partie de l'équipe de « %(shop)s ».")
            % {"email": user.email, "shop": shop.name},
            code="member_exists",
        )
    shop.users.add(user)
    user.user_permissions.add(_dashboard_access())
    if created:
        team_invite_message_add(shop=shop, user=user)
    return user, created


@transaction.atomic
def shop_member_remove(*, shop: Partner, user) -> None:
    """Take `user` off `shop`'s team; they lose the dashboard access with their last shop.

    Refused in French for the last member (a shop always has someone to run it) or someone
    not in the team. The shop's row is locked, so two removals cannot both leave it empty.
    """
    shop = Partner.objects.select_for_update().get(pk=shop.pk)
    members = set(shop.users.values_list("pk", flat=True))
    if user.pk not in members:
        raise ValidationError(
            _("Ce compte ne fait pas partie de l'équipe de « %(shop)s ».") % {"shop": shop.name},
            code="member_unknown",
        )
    if members == {user.pk}:
        raise ValidationError(
            _("Impossible de retirer le dernier membre de l'équipe : ajoutez d'abord quelqu'un."),
            code="member_last",
        )
    shop.users.remove(user)
    # Same rule as Oscar's PartnerUserUnlinkView: staff keep their access.
    if not user.is_staff and not user.partners.exists():
        user.user_permissions.remove(_dashboard_access())
