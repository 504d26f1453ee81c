"""The shops' e-mails, written in the outbox (`messaging`) in the same transaction as their
cause: a shop signing up, the town's decisions on a shop or a product, an invitation.

`kinds_register` (at the app's ready) tells messaging how each kind renders; the context is
built when the e-mail leaves, so an invitation's set-password link is made at send time and
is valid for PASSWORD_RESET_TIMEOUT from then.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.core.loading import get_model

from messaging.emails import absolute_url
from messaging.registry import kind_register
from messaging.services import message_add

Partner = get_model("partner", "Partner")
ModerationEvent = get_model("partner", "ModerationEvent")
ProductModerationEvent = get_model("partner", "ProductModerationEvent")

SHOP_CREATED = "shop_created"
SHOP_MODERATED = "shop_moderated"
PRODUCT_MODERATED = "product_moderated"
TEAM_INVITE = "team_invite"
TEAM_INVITATION = "team_invitation"
IDENTITY_DECIDED = "identity_change_decided"
STOCK_FEED_FAILING = "stock_feed_failing"


def shop_created_message_add(*, shop: Partner, user) -> None:
    """Tell the merchant their new shop awaits the town's approval."""
    message_add(
        kind=SHOP_CREATED,
        key=f"shop-created:{shop.pk}:{user.pk}",
        object_id=shop.pk,
        context={"user_id": user.pk},
        recipients=[user.email],
    )


def shop_moderated_message_add(*, event: ModerationEvent) -> None:
    """Tell the shop's merchants (and the shop's own address) about the town's decision."""
    _shop_decision_add(kind=SHOP_MODERATED, key=f"shop-moderated:{event.pk}", decision=event)


def _shop_decision_add(*, kind: str, key: str, decision) -> None:
    """A decision about `decision.shop` to its merchants and its own address; the decision
    records when it was told."""
    shop = decision.shop
    recipients = {u.email for u in shop.users.all()} | {shop.email}
    message_add(kind=kind, key=key, object_id=decision.pk, recipients=recipients)
    decision.notified_at = timezone.now()
    decision.save(update_fields=["notified_at"])


def product_moderated_messages_add(*, event: ProductModerationEvent) -> None:
    """One message per merchant of a shop offering the product, naming their own shops only:
    no address of another shop leaks."""
    from shops import selectors

    for email, shop_names in selectors.product_merchants(product=event.product).items():
        digest = hashlib.sha256(email.lower().encode()).hexdigest()[:24]
        message_add(
            kind=PRODUCT_MODERATED,
            key=f"product-moderated:{event.pk}:{digest}",
            object_id=event.pk,
            context={"shops": shop_names},
            recipients=[email],
        )
    event.notified_at = timezone.now()
    event.save(update_fields=["notified_at"])


def team_invitation_message_add(*, invitation) -> None:
    """An invitation to join a team, once per issue (a renewal writes a new message); the
    link is made when the e-mail leaves."""
    message_add(
        kind=TEAM_INVITATION,
        key=f"team-invitation:{invitation.pk}:{invitation.created_at.timestamp()}",
        object_id=invitation.pk,
        context={"issued_at": invitation.created_at.isoformat()},
        recipients=[invitation.email],
    )


def identity_change_message_add(*, change) -> None:
    """Tell the shop's merchants (and its own address) the town's decision on its identity."""
    _shop_decision_add(kind=IDENTITY_DECIDED, key=f"identity-decided:{change.pk}", decision=change)


# Rendering, at send time --------------------------------------------------------------------


def stock_feed_failing_message_add(*, feed, run) -> None:
    """Tell the shop once its stock feed failed 3 times in a row (once per such streak: the
    key names the run that reached 3)."""
    shop = feed.shop
    recipients = {u.email for u in shop.users.filter(is_active=True)} | {shop.email}
    message_add(
        kind=STOCK_FEED_FAILING,
        key=f"stock-feed-failing:{feed.pk}:{run.pk}",
        object_id=feed.pk,
        recipients=recipients,
        context={
            "shop": shop.name,
            "url": feed.url,
            "failures": feed.consecutive_failures,
            "error": (run.errors or [{}])[0].get("message", ""),
            "api_url": absolute_url(reverse("merchant:api-keys", kwargs={"slug": shop.code})),
        },
    )


def kinds_register() -> None:
    kind_register(SHOP_CREATED, template="merchant_signup", context=_shop_created)
    kind_register(SHOP_MODERATED, template="shop_moderated", context=_shop_moderated)
    kind_register(PRODUCT_MODERATED, template="product_moderated", context=_product_moderated)
    # No longer written (invitations are TEAM_INVITATION); registered still so that the
    # messages already in an outbox leave.
    kind_register(TEAM_INVITE, template="team_invite", context=_team_invite)
    kind_register(TEAM_INVITATION, template="team_invitation", context=_team_invitation)
    kind_register(IDENTITY_DECIDED, template="identity_change_decided", context=_identity_decided)
    kind_register(STOCK_FEED_FAILING, template="stock_feed_failing")


def _shop_created(message) -> dict:
    shop = Partner.objects.get(pk=message.object_id)
    return {
        "shop": shop,
        "user": get_user_model().objects.get(pk=message.context["user_id"]),
        "dashboard_url": absolute_url(reverse("space:today", kwargs={"slug": shop.code})),
        "profile_url": absolute_url(reverse("merchant:profile", kwargs={"slug": shop.code})),
    }


def _shop_moderated(message) -> dict:
    event = ModerationEvent.objects.select_related("shop").get(pk=message.object_id)
    return {"event": event, "shop": event.shop}


def _product_moderated(message) -> dict:
    event = ProductModerationEvent.objects.select_related("product").get(pk=message.object_id)
    return {"event": event, "product": event.product, "shops": message.context["shops"]}


def _team_invite(message) -> dict | None:
    """None (nothing sent) once the account is gone, deactivated or has chosen a password."""
    user = get_user_model().objects.filter(pk=message.object_id, is_active=True).first()
    shop = Partner.objects.filter(pk=message.context["shop_id"]).first()
    if user is None or shop is None or user.has_usable_password():
        return None
    path = reverse(
        "password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return {
        "shop": shop,
        "user": user,
        "link": absolute_url(path),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }


def _team_invitation(message) -> dict | None:
    """None (nothing sent) once the invitation is answered, expired or issued again."""
    from shops.services.invitations import account_for, team_invitation_link_issue

    TeamInvitation = get_model("partner", "TeamInvitation")
    invitation = (
        TeamInvitation.objects.select_for_update(of=("self",))
        .select_related("shop", "invited_by")
        .filter(pk=message.object_id, status=TeamInvitation.Status.PENDING)
        .first()
    )
    issued = message.context.get("issued_at")
    if invitation is None or invitation.is_expired or invitation.created_at.isoformat() != issued:
        return None
    user = account_for(invitation.email)
    return {
        "invitation": invitation,
        "shop": invitation.shop,
        "inviter": invitation.invited_by,
        "link": team_invitation_link_issue(invitation=invitation),
        "needs_password": user is None or not user.has_usable_password(),
    }


def _identity_decided(message) -> dict:
    ShopIdentityChange = get_model("partner", "ShopIdentityChange")
    change = ShopIdentityChange.objects.select_related("shop").get(pk=message.object_id)
    shop = change.shop
    return {
        "change": change,
        "shop": shop,
        "rows": [row for row in change.rows() if row["changed"]],
        "profile_url": absolute_url(reverse("merchant:profile", kwargs={"slug": shop.code})),
    }
