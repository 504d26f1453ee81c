"""A shop's identity (name, SIRET, address): free while the town has not opened the shop,
reviewed by the town once it has.

A live (or suspended) shop's change waits in a ShopIdentityChange, with the approved values
beside the requested ones, while the shop's row, which the public reads, keeps the approved
values. Staff approve it (applied then) or refuse it with a reason; either way the merchants
are e-mailed once the transaction commits. No shop may take another's name (case and accents
aside), and a SIRET, once given, cannot be dropped.
"""

import logging
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.types import User
from shops.identity_models import IDENTITY_FIELDS
from shops.services.location import shop_address_changed, shop_locate

Partner = get_model("partner", "Partner")
ShopIdentityChange = get_model("partner", "ShopIdentityChange")
Change = ShopIdentityChange.Status
# Statuses in which the public has known the shop: its identity changes only after review.
REVIEWED_STATUSES = {Partner.Status.LIVE, Partner.Status.SUSPENDED}

logger = logging.getLogger(__name__)


def shop_name_key(name: str) -> str:
    """What two names must not share: "Fromagerie du Lac" = "FROMAGÉRIE  du lac"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").casefold().split())


def shop_name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another shop has this name, or waits for the town to approve it."""
    key = shop_name_key(name)
    names = Partner.objects.exclude(pk=exclude_pk).values_list("name", flat=True)
    requested = (
        ShopIdentityChange.objects.filter(status=Change.PENDING)
        .exclude(shop_id=exclude_pk)
        .values_list("after__name", flat=True)
    )
    return any(shop_name_key(other) == key for other in [*names, *requested] if other)


def identity_of(shop: Partner) -> dict[str, str]:
    return {name: getattr(shop, name) or "" for name in IDENTITY_FIELDS}


def identity_validate(*, shop: Partner, values: dict[str, str]) -> None:
    """Refuse (per field, in French) a name another shop has or a SIRET dropped."""
    errors = {}
    if shop_name_taken(values["name"], exclude_pk=shop.pk):
        errors["name"] = _("Une autre boutique porte déjà ce nom : choisissez-en un autre.")
    if shop.siret and not values["siret"]:
        errors["siret"] = _("Le SIRET de la boutique ne peut pas être supprimé.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def shop_profile_update(*, shop: Partner, fields: list[str], by: User) -> ShopIdentityChange | None:
    """Save a merchant's profile: `shop` carries the posted `fields`, not saved yet.

    A shop the public has known keeps its approved identity: a new one becomes (or replaces)
    its pending change, returned; asking for the approved values again withdraws it.
    """
    stored = Partner.objects.select_for_update().get(pk=shop.pk)
    requested = identity_of(shop)
    identity_validate(shop=stored, values=requested)
    if stored.status not in REVIEWED_STATUSES:
        shop.save(update_fields=fields)
        if shop_address_changed(before=stored, after=shop):
            shop_locate(shop=shop)
        return None
    approved = identity_of(stored)
    for name, value in approved.items():
        setattr(shop, name, value)
    shop.save(update_fields=[f for f in fields if f not in IDENTITY_FIELDS])
    pending = stored.identity_changes.select_for_update().filter(status=Change.PENDING).first()
    if requested == approved:
        if pending is not None:
            pending.status, pending.decided_at = Change.WITHDRAWN, timezone.now()
            pending.save(update_fields=["status", "decided_at"])
        return None
    change = pending or ShopIdentityChange(shop=stored)
    change.before, change.after, change.requested_by = approved, requested, by
    change.save()
    return change


@transaction.atomic
def identity_change_decide(
    *, change: ShopIdentityChange, by: User, approve: bool, reason: str = ""
) -> ShopIdentityChange:
    """The town's decision on a pending change (commerce staff only); refusal needs a reason."""
    from shops.access import is_commerce_staff

    if not is_commerce_staff(by):
        raise PermissionDenied
    change = ShopIdentityChange.objects.select_for_update().get(pk=change.pk)
    reason = (reason or "").strip()
    if change.status != Change.PENDING:
        raise ValidationError(
            _("Ce changement a déjà été traité (%(status)s).")
            % {"status": change.get_status_display().lower()},
            code="identity_decided",
        )
    if not approve and not reason:
        raise ValidationError(
            _("Indiquez le motif : il est transmis au commerçant."), code="moderation_reason"
        )
    if approve:
        _apply(change)
    change.status = Change.APPROVED if approve else Change.REFUSED
    change.decided_by, change.decided_at, change.reason = by, timezone.now(), reason
    change.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    logger.info(
        "Identity change %s of shop %s %s by user %s",
        change.pk,
        change.shop_id,
        change.status,
        by.pk,
    )
    from shops.messages import identity_change_message_add

    identity_change_message_add(change=change)
    return change


def _apply(change: ShopIdentityChange) -> None:
    shop = Partner.objects.select_for_update().get(pk=change.shop_id)
    if shop_name_taken(change.after["name"], exclude_pk=shop.pk):
        raise ValidationError(
            _("Une autre boutique porte déjà le nom « %(name)s » : refusez ce changement.")
            % {"name": change.after["name"]},
            code="identity_name_taken",
        )
    before = Partner(**{name: getattr(shop, name) for name in IDENTITY_FIELDS})
    for name in IDENTITY_FIELDS:
        setattr(shop, name, change.after.get(name, ""))
    shop.full_clean(exclude=["code"], validate_unique=False, validate_constraints=False)
    shop.save(update_fields=list(IDENTITY_FIELDS))
    if shop_address_changed(before=before, after=shop):
        shop_locate(shop=shop)
