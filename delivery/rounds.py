"""What happens on a round: the courier's actions at each stop, and staff's corrections.

Each action moves the shop orders through `orders.services.shop_order_transition` (so the
resident is told through the outbox and Celery, and the workflow's rules hold), under the
stop's row lock: an action done twice, on another courier's stop, or out of order is refused
with a French `ValidationError` and changes nothing.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import COURIERS_GROUP, Courier, DispatchAlert, Round, RoundStop
from orders.models import ShopOrder
from orders.services import shop_order_transition

Status = ShopOrder.Status
Stop = RoundStop


def courier_create(*, user, capacity: int = 30, working_days: str = "01234") -> Courier:
    """Give `user` the courier role: the COURIERS_GROUP group and a courier profile."""
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=COURIERS_GROUP)
        user.groups.add(group)
        courier, _created = Courier.objects.update_or_create(
            user=user, defaults={"capacity": capacity, "working_days": working_days}
        )
    return courier


def _locked_stop(*, stop_id: int, courier: Courier) -> RoundStop:
    """The stop, locked, if it is on one of `courier`'s rounds and still to do."""
    try:
        stop = (
            RoundStop.objects.select_for_update(of=("self",))
            .select_related("round", "shop_order")
            .get(pk=stop_id, round__courier=courier)
        )
    except RoundStop.DoesNotExist:
        raise ValidationError(
            _("Cet arrêt n'est pas sur vos tournées."), code="not_yours"
        ) from None
    if stop.status != Stop.Status.PENDING:
        raise ValidationError(_("Cet arrêt est déjà traité."), code="already_done")
    return stop


def _stop_close(stop: RoundStop, status: str, failure: str = "") -> None:
    now = timezone.now()
    stop.status, stop.failure, stop.done_at = status, failure, now
    stop.save(update_fields=["status", "failure", "done_at"])
    round_ = stop.round
    if round_.status == Round.Status.PLANNED:
        round_.status, round_.started_at = Round.Status.UNDER_WAY, now
    if not round_.stops.filter(status=Stop.Status.PENDING).exists():
        round_.status, round_.finished_at = Round.Status.DONE, now
    round_.save(update_fields=["status", "started_at", "finished_at"])


def stop_picked_up(*, stop_id: int, courier: Courier) -> RoundStop:
    """At a shop: the courier takes this round's parcels of that shop (handed to courier)."""
    with transaction.atomic():
        stop = _locked_stop(stop_id=stop_id, courier=courier)
        if stop.kind != Stop.Kind.PICKUP:
            raise ValidationError(_("Cet arrêt est une livraison."), code="not_a_pickup")
        drops = stop.round.stops.filter(
            kind=Stop.Kind.DROP, shop=stop.shop, status=Stop.Status.PENDING
        ).select_related("shop_order")
        for drop in drops.order_by("position"):
            if drop.shop_order.status != Status.HANDED_TO_COURIER:
                shop_order_transition(
                    shop_order=drop.shop_order, to_status=Status.HANDED_TO_COURIER, by=courier.user
                )
        _stop_close(stop, Stop.Status.DONE)
    return stop


def stop_delivered(*, stop_id: int, courier: Courier) -> RoundStop:
    """At a resident's: every parcel for that address is handed over (the stop's shop order
    and the other shop orders of the same order still to hand over in this round)."""
    with transaction.atomic():
        stops = _drops_here(stop_id, courier)
        for stop in stops:
            shop_order_transition(
                shop_order=stop.shop_order, to_status=Status.DELIVERED, by=courier.user
            )
            _stop_close(stop, Stop.Status.DONE)
    return stops[0]


def stop_failed(*, stop_id: int, courier: Courier, failure: str) -> RoundStop:
    """At a resident's: the parcels for that address could not be delivered, for one of
    `Stop.Failure` (every parcel of the stop, as for `stop_delivered`)."""
    if failure not in Stop.Failure.values:
        raise ValidationError(_("Choisissez le motif de l'échec."), code="failure_required")
    with transaction.atomic():
        stops = _drops_here(stop_id, courier)
        for stop in stops:
            shop_order_transition(
                shop_order=stop.shop_order,
                to_status=Status.DELIVERY_FAILED,
                by=courier.user,
                reason=str(Stop.Failure(failure).label),
            )
            _stop_close(stop, Stop.Status.FAILED, failure)
    return stops[0]


def _drops_here(stop_id: int, courier: Courier) -> list[RoundStop]:
    """The drop `stop_id` and, after it, its round's other pending drops of the same order
    (one address: one stop), locked; each parcel must have been picked up."""
    first = _locked_stop(stop_id=stop_id, courier=courier)
    if first.kind != Stop.Kind.DROP:
        raise ValidationError(_("Cet arrêt est un retrait en boutique."), code="not_a_drop")
    others = (
        RoundStop.objects.select_for_update(of=("self",))
        .select_related("round", "shop_order", "shop")
        .filter(
            round=first.round_id,
            kind=Stop.Kind.DROP,
            status=Stop.Status.PENDING,
            shop_order__order_id=first.shop_order.order_id,
        )
        .exclude(pk=first.pk)
        .order_by("position")
    )
    stops = [first, *others]
    for stop in stops:
        stop.round = first.round  # one round object: its status is worked out once per close
        if stop.shop_order.status != Status.HANDED_TO_COURIER:
            raise ValidationError(
                _("Récupérez d'abord ce colis à la boutique %(shop)s.") % {"shop": stop.shop.name},
                code="not_picked_up",
            )
    return stops


# Staff -----------------------------------------------------------------------------------


def round_reassign(*, round_id: int, courier: Courier) -> Round:
    """Give a round not yet finished to another courier (free in that slot)."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_id)
        if round_.status == Round.Status.DONE:
            raise ValidationError(_("Cette tournée est terminée."), code="round_done")
        if Round.objects.filter(slot=round_.slot, courier=courier).exclude(pk=round_.pk).exists():
            raise ValidationError(
                _("%(courier)s a déjà une tournée sur ce créneau.") % {"courier": courier},
                code="courier_busy",
            )
        round_.courier = courier
        round_.save(update_fields=["courier"])
    return round_


def stop_move(*, stop_id: int, to_round_id: int) -> RoundStop:
    """Move a drop still to do, whose parcel is still at the shop, to another round of the
    same slot not finished; that round gets a pickup at the shop first if it has none."""
    with transaction.atomic():
        stop = (
            RoundStop.objects.select_for_update(of=("self",))
            .select_related("round", "shop_order")
            .get(pk=stop_id)
        )
        target = Round.objects.select_for_update().get(pk=to_round_id)
        if stop.kind != Stop.Kind.DROP or stop.status != Stop.Status.PENDING:
            raise ValidationError(_("Seule une livraison à faire peut changer de tournée."))
        if stop.shop_order.status == Status.HANDED_TO_COURIER:
            raise ValidationError(
                _("Ce colis est déjà chez le livreur : il ne peut plus changer de tournée.")
            )
        if target.slot_id != stop.round.slot_id or target.status == Round.Status.DONE:
            raise ValidationError(_("Choisissez une tournée du même créneau, pas terminée."))
        last = target.stops.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
        has_pickup = target.stops.filter(
            kind=Stop.Kind.PICKUP, shop=stop.shop, status=Stop.Status.PENDING
        ).exists()
        if not has_pickup:
            RoundStop.objects.create(
                round=target, position=position, kind=Stop.Kind.PICKUP, shop=stop.shop,
                latitude=stop.shop.latitude, longitude=stop.shop.longitude,
            )  # fmt: skip
            position += 1
        stop.round, stop.position = target, position
        stop.save(update_fields=["round", "position"])
    return stop


def stop_replan(*, stop_id: int) -> RoundStop:
    """A failed delivery goes into the next slot's rounds (picked up at the shop again)."""
    with transaction.atomic():
        stop = (
            RoundStop.objects.select_for_update(of=("self",))
            .select_related("shop_order")
            .get(pk=stop_id)
        )
        if stop.status != Stop.Status.FAILED or stop.shop_order.status != Status.DELIVERY_FAILED:
            raise ValidationError(_("Seule une livraison échouée peut être replanifiée."))
        stop.replan = True
        stop.save(update_fields=["replan"])
    return stop


def dispatch_alert_resolve(*, alert: DispatchAlert) -> DispatchAlert:
    """Mark an alert handled (once: resolving it again keeps the first time)."""
    DispatchAlert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    alert.refresh_from_db(fields=["resolved_at"])
    return alert


def dispatch_alert_message_add(*, alert: DispatchAlert) -> None:
    """Tell the town's commerce staff about an alert: written in the outbox with the alert."""
    from messaging.services import message_add
    from shops.selectors import commerce_staff_emails

    message_add(
        kind="dispatch_alert",
        key=f"dispatch-alert:{alert.pk}",
        object_id=alert.pk,
        recipients=commerce_staff_emails(),
    )


def dispatch_alert_context(message) -> dict:
    """How the alert's e-mail renders, when it leaves (registered at the app's ready)."""
    from django.urls import reverse

    from messaging.emails import absolute_url

    alert = DispatchAlert.objects.select_related("slot").get(pk=message.object_id)
    return {"alert": alert, "board_url": absolute_url(reverse("delivery-board:index"))}


def courier_register(
    *, email: str, first_name: str, last_name: str, capacity: int, working_days: str
) -> Courier:
    """Make the account of `email` a courier, creating it if needed (without a password: the
    courier sets one through "forgotten password" on the login page)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    email = email.strip()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(
                username=email[:150], email=email, first_name=first_name, last_name=last_name
            )
            user.set_unusable_password()
            user.save()
        return courier_create(user=user, capacity=capacity, working_days=working_days)


def courier_update(
    *, courier: Courier, capacity: int, working_days: str, is_active: bool
) -> Courier:
    """Change what a courier carries and when they work, or take them off duty (their rounds
    under way stay theirs; the next builds leave them out)."""
    courier.capacity, courier.working_days, courier.is_active = capacity, working_days, is_active
    courier.full_clean(exclude=["user"])
    courier.save(update_fields=["capacity", "working_days", "is_active"])
    return courier


def shop_order_round_leave(*, shop_order: ShopOrder) -> int:
    """Take a shop order out of the rounds where it waits to be delivered (see receivers).
    Returns the stops removed."""
    drops = RoundStop.objects.filter(
        shop_order=shop_order, kind=Stop.Kind.DROP, status=Stop.Status.PENDING
    ).select_related("round")
    removed = 0
    for drop in drops:
        round_ = drop.round
        drop.delete()
        removed += 1
        others = round_.stops.filter(
            kind=Stop.Kind.DROP, shop=shop_order.shop, status=Stop.Status.PENDING
        )
        if not others.exists():
            removed += round_.stops.filter(
                kind=Stop.Kind.PICKUP, shop=shop_order.shop, status=Stop.Status.PENDING
            ).delete()[0]
        if (
            round_.status == Round.Status.UNDER_WAY
            and not round_.stops.filter(status=Stop.Status.PENDING).exists()
        ):
            Round.objects.filter(pk=round_.pk).update(
                status=Round.Status.DONE, finished_at=timezone.now()
            )
    return removed
