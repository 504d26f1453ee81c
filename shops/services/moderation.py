"""The town's decisions on shops and products.

Status changes under a row lock, recorded in the audit log, and told to the merchants by
e-mail through the outbox, written in the same transaction (`shops.messages`).
"""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.types import User
from shops.messages import product_moderated_messages_add, shop_moderated_message_add
from shops.moderation_selectors import shop_approval_gaps

Partner = get_model("partner", "Partner")
ModerationEvent = get_model("partner", "ModerationEvent")
Status, Action = Partner.Status, ModerationEvent.Action

# action: (statuses it may start from, status it leads to, a reason is required)
TRANSITIONS = {
    Action.APPROVE: ({Status.PENDING, Status.REJECTED}, Status.LIVE, False),
    Action.REJECT: ({Status.PENDING}, Status.REJECTED, True),
    Action.SUSPEND: ({Status.LIVE}, Status.SUSPENDED, True),
    Action.REINSTATE: ({Status.SUSPENDED}, Status.LIVE, False),
}


@transaction.atomic
def shop_moderate(
    *,
    shop: Partner,
    by: User,
    action: str,
    reason: str = "",
    confirmed_gaps: Collection[str] = (),
) -> ModerationEvent:
    """Apply `action` to `shop`; refused with a French message when it makes no sense.

    Approving a shop that lacks a product online, opening hours or a way to hand goods over
    (`moderation_selectors.APPROVAL_GAPS`) takes the staff's word that they saw it:
    `confirmed_gaps` must name each of those gaps as the shop is now, else it is refused.
    """
    sources, target, needs_reason = TRANSITIONS[Action(action)]
    shop = Partner.objects.select_for_update().get(pk=shop.pk)
    reason = (reason or "").strip()
    if shop.status not in sources:
        raise ValidationError(
            _("« %(shop)s » est « %(status)s » : impossible de lui appliquer « %(action)s ».")
            % {
                "shop": shop.name,
                "status": shop.get_status_display(),
                "action": Action(action).label,
            },
            code="moderation_transition",
        )
    if needs_reason and not reason:
        raise ValidationError(
            _("Indiquez le motif : il est transmis au commerçant."), code="moderation_reason"
        )
    if action == Action.APPROVE:
        _approval_gaps_confirmed(shop, confirmed_gaps)
    shop.status, shop.status_changed_at = target, timezone.now()
    shop.status_reason = reason if needs_reason else ""
    shop.save(update_fields=["status", "status_changed_at", "status_reason"])
    event = ModerationEvent.objects.create(shop=shop, actor=by, action=action, reason=reason)
    shop_moderated_message_add(event=event)
    return event


def _approval_gaps_confirmed(shop: Partner, confirmed: Collection[str]) -> None:
    unconfirmed = [gap for gap in shop_approval_gaps(shop=shop) if gap.key not in confirmed]
    if unconfirmed:
        raise ValidationError(
            _(
                "« %(shop)s » : %(gaps)s. Cochez la confirmation pour la valider malgré "
                "cela, ou attendez que le commerçant complète sa boutique."
            )
            % {"shop": shop.name, "gaps": ", ".join(gap.label for gap in unconfirmed)},
            code="approval_gaps",
        )


# --- The town's decisions on a product: withdrawn from every public page, or restored -----

ProductModerationEvent = get_model("partner", "ProductModerationEvent")
Product = get_model("catalogue", "Product")
ProductAction = ProductModerationEvent.Action


@transaction.atomic
def product_moderate(
    *, product: Product, by: User, action: str, reason: str = ""
) -> ProductModerationEvent:
    """Withdraw a product (hidden from the public whatever shop offers it) or restore it.

    Refused with a French message, nothing changed, when the product already is in that
    state or a withdrawal comes without a reason. The merchants of every shop offering the
    product are e-mailed (one outbox message each, in this transaction).
    """
    action = ProductAction(action)
    product = Product.objects.select_for_update().get(pk=product.pk)
    reason = (reason or "").strip()
    withdraw = action == ProductAction.WITHDRAW
    if product.is_public != withdraw:
        message = (
            _("« %(product)s » est déjà retiré du portail.")
            if withdraw
            else _("« %(product)s » n'est pas retiré : rien à remettre en ligne.")
        )
        raise ValidationError(message % {"product": product.title}, code="moderation_transition")
    if withdraw and not reason:
        raise ValidationError(
            _("Indiquez le motif : il est transmis aux commerçants."), code="moderation_reason"
        )
    product.is_public = not withdraw
    product.save(update_fields=["is_public", "date_updated"])
    event = ProductModerationEvent.objects.create(
        product=product, actor=by, action=action, reason=reason
    )
    product_moderated_messages_add(event=event)
    return event
