"""A shop's API keys: created (the key is returned once, only its hash is kept), revoked, and
marked used. Who may call these is decided by the caller (owners in the space, operators on
the command line)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.types import User

Partner = get_model("partner", "Partner")
ShopApiKey = get_model("partner", "ShopApiKey")

# At most this many usable keys per shop: enough for a till, a web shop and a script or two.
MAX_KEYS_PER_SHOP = 10
# `last_used_at` is written at most this often per key (a busy key costs no write per call).
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def api_key_create(
    *, shop: Partner, name: str, scope: str, by: User | None
) -> tuple[ShopApiKey, str]:
    """A new key of `shop`: (the stored key, the key itself, to show once and never again)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Donnez un nom à la clé (par exemple « Caisse »).")})
    if len(name) > 50:
        raise ValidationError({"name": _("50 caractères au plus.")})
    if scope not in ShopApiKey.Scope.values:
        raise ValidationError({"scope": _("Droits inconnus : « read » ou « write ».")})
    Partner.objects.select_for_update().get(pk=shop.pk)  # one creation at a time per shop
    if ShopApiKey.objects.filter(shop=shop, revoked=False).count() >= MAX_KEYS_PER_SHOP:
        raise ValidationError(
            _("Cette boutique a déjà %(n)s clés actives : révoquez-en une d'abord.")
            % {"n": MAX_KEYS_PER_SHOP}
        )
    return ShopApiKey.objects.create_key(shop=shop, name=name, scope=scope, created_by=by)


@transaction.atomic
def api_key_revoke(*, key: ShopApiKey) -> ShopApiKey:
    """Revoke `key` for good (a revoked key answers 401); revoking twice changes nothing."""
    key = ShopApiKey.objects.select_for_update().get(pk=key.pk)
    if not key.revoked:
        key.revoked, key.revoked_at = True, timezone.now()
        key.save(update_fields=["revoked", "revoked_at"])
    return key


def api_key_used(*, key: ShopApiKey) -> None:
    """Record that `key` was just used, at most once a minute (one UPDATE, no lock)."""
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ShopApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


# --- Idempotent writes: a retried request answered once ---------------------------------------

ApiIdempotentRequest = get_model("partner", "ApiIdempotentRequest")


class IdempotencyKeyReused(Exception):
    """The key was already used by this shop for a different request."""


def idempotent_request_claim(*, shop: Partner, key: str, request_hash: str) -> ApiIdempotentRequest:
    """The row of (`shop`, `key`): a new one (`status` None) the current request answers, or
    the stored answer of the earlier request. A concurrent request with the same key waits for
    the first one's transaction (the unique index), then reads its answer."""
    try:
        with transaction.atomic():
            return ApiIdempotentRequest.objects.create(
                shop=shop, key=key, request_hash=request_hash
            )
    except IntegrityError:
        found = ApiIdempotentRequest.objects.get(shop=shop, key=key)
    if found.request_hash != request_hash:
        raise IdempotencyKeyReused(key)
    return found


def idempotent_request_record(*, claim: ApiIdempotentRequest, status: int, body: dict) -> None:
    """The answer given under `claim`'s key, for the retries (in the request's transaction)."""
    claim.status, claim.body = status, body
    claim.save(update_fields=["status", "body"])
