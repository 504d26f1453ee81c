"""A shop's team: the accounts that run it, invited by e-mail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shops.emails import absolute_url, email_build

Partner = get_model("partner", "Partner")

# --- A shop's team: the accounts that run it -------------------------------------------------

# How long a sent invitation is remembered, so a retried task does not send it again.
INVITE_MEMORY_SECONDS = 3 * 24 * 3600


def _dashboard_access():
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")


@transaction.atomic
def shop_member_add(*, shop: Partner, email: str):
    """Give the account with this e-mail access to `shop`; returns (user, created).

    An unknown address gets a new account without a password and, once the transaction has
    committed, an e-mail with a link to choose one. As Oscar's "link user" view does, the
    account is granted the merchant dashboard access. Refused in French for a member already
    there or a deactivated account.
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
        shop_id, user_id = shop.pk, user.pk
        transaction.on_commit(lambda: _invite_later(user_id=user_id, shop_id=shop_id))
    return user, created


def _invite_later(*, user_id: int, shop_id: int) -> None:
    from shops.tasks import send_team_invite

    send_team_invite.delay(user_id=user_id, shop_id=shop_id)


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


def team_invite_send(*, user_id: int, shop_id: int) -> bool:
    """E-mail a new member a link to choose their password; False if sent already or moot.

    The link is Django's password-reset link (Oscar's `password-reset-confirm` page); it is
    valid PASSWORD_RESET_TIMEOUT and dies once used. A retried task is recognised through the
    cache, like the sign-up e-mail; an account that has a password by now needs no link.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    key = f"digitaix:team-invite:{shop_id}:{user_id}"
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    shop = Partner.objects.filter(pk=shop_id).first()
    if cache.get(key) or user is None or shop is None or not user.email:
        return False
    if user.has_usable_password():
        return False
    path = reverse(
        "password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "shop": shop,
        "user": user,
        "site_name": settings.OSCAR_SHOP_NAME,
        "link": absolute_url(path),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    email_build("team_invite", context, to=[user.email]).send()
    cache.set(key, True, INVITE_MEMORY_SECONDS)
    return True
