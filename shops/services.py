"""Write operations of the shops app.

The town's decisions on a shop (approve, reject, suspend, reinstate) are status changes under
a row lock, recorded in the audit log, and told to the merchant by e-mail through Celery once
the transaction has committed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

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
        subject = render_to_string("digitaix/emails/shop_moderated_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("digitaix/emails/shop_moderated.txt", context),
            to=recipients,
        )
        message.attach_alternative(
            render_to_string("digitaix/emails/shop_moderated.html", context), "text/html"
        )
        if recipients:
            message.send()
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    return True


def basket_offer_add(*, basket, stockrecord, quantity: int):
    """Put `quantity` of a product in the basket, bought from the shop of `stockrecord`.

    Oscar's basket asks its strategy which offer to sell from; the strategy is told the
    resident's choice first. Refused with a French message, nothing changed, when the
    quantity is not allowed or the shop has not enough stock.
    """
    product = stockrecord.product
    basket.strategy.choose(stockrecord)
    info = basket.strategy.fetch_for_product(product)
    line = basket.lines.filter(stockrecord=stockrecord).first() if basket.id else None
    in_basket = line.quantity if line else 0
    allowed, reason = basket.is_quantity_allowed(quantity)
    if allowed:
        allowed, reason = info.availability.is_purchase_permitted(in_basket + quantity)
    if not allowed:
        raise ValidationError(
            _("Impossible d'ajouter ce produit chez %(shop)s : %(reason)s")
            % {"shop": stockrecord.partner.name, "reason": reason}
        )
    line, _created = basket.add_product(product, quantity)
    return line
