"""The town's decisions on shops and products.

Status changes under a row lock, recorded in the audit log, and told to the merchants by
e-mail through Celery once the transaction has committed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shops.emails import email_build

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
def shop_moderate(*, shop: Partner, by, action: str, reason: str = "") -> ModerationEvent:
    """Apply `action` to `shop`; refused with a French message when it makes no sense."""
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
    shop.status, shop.status_changed_at = target, timezone.now()
    shop.status_reason = reason if needs_reason else ""
    shop.save(update_fields=["status", "status_changed_at", "status_reason"])
    event = ModerationEvent.objects.create(shop=shop, actor=by, action=action, reason=reason)
    transaction.on_commit(lambda: _notify_later(event.pk))
    return event


def _notify_later(event_id: int) -> None:
    from shops.tasks import notify_shop_moderated

    notify_shop_moderated.delay(event_id=event_id)


def shop_moderation_notify(*, event_id: int) -> bool:
    """E-mail the shop's merchants about a decision, once; False if already done."""
    with transaction.atomic():
        event = ModerationEvent.objects.select_for_update().select_related("shop").get(pk=event_id)
        if event.notified_at is not None:
            return False
        shop = event.shop
        recipients = sorted({u.email for u in shop.users.all() if u.email} | {shop.email} - {""})
        context = {"event": event, "shop": shop, "site_name": settings.OSCAR_SHOP_NAME}
        message = email_build("shop_moderated", context, to=recipients)
        if recipients:
            message.send()
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    return True


# --- The town's decisions on a product: withdrawn from every public page, or restored -----

ProductModerationEvent = get_model("partner", "ProductModerationEvent")
Product = get_model("catalogue", "Product")
ProductAction = ProductModerationEvent.Action


@transaction.atomic
def product_moderate(*, product, by, action: str, reason: str = "") -> ProductModerationEvent:
    """Withdraw a product (hidden from the public whatever shop offers it) or restore it.

    Refused with a French message, nothing changed, when the product already is in that
    state or a withdrawal comes without a reason. The merchants of every shop offering the
    product are e-mailed once the transaction has committed.
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
    transaction.on_commit(lambda: _product_notify_later(event.pk))
    return event


def _product_notify_later(event_id: int) -> None:
    from shops.tasks import notify_product_moderated

    notify_product_moderated.delay(event_id=event_id)


def product_moderation_notify(*, event_id: int) -> bool:
    """E-mail each merchant of the shops offering the product, once; False if already done.

    One message per merchant, naming their own shops only: no address of another shop leaks.
    """
    from shops import selectors

    with transaction.atomic():
        event = (
            ProductModerationEvent.objects.select_for_update(of=("self",))
            .select_related("product")
            .get(pk=event_id)
        )
        if event.notified_at is not None:
            return False
        mails = []
        for email, shops in selectors.product_merchants(product=event.product).items():
            context = {
                "event": event,
                "product": event.product,
                "shops": shops,
                "site_name": settings.OSCAR_SHOP_NAME,
            }
            mails.append(email_build("product_moderated", context, to=[email]))
        if mails:
            mails[0].get_connection().send_messages(mails)
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    return True
