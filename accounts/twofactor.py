"""The town staff's second factor: a TOTP app (django-otp) and ten single-use recovery codes.

Who must use one: staff (`is_staff`, who reach /admin/), superusers, and whoever the role
predicate named by settings.DIGITAIX_SECOND_FACTOR_ROLE says (shops.access.is_commerce_staff:
roles are decided there, and accounts may not import shops, so the predicate comes through
a setting). settings.DIGITAIX_STAFF_SECOND_FACTOR off (make run's demo only) asks nobody.
"""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def second_factor_required(user) -> bool:
    if not settings.DIGITAIX_STAFF_SECOND_FACTOR:
        return False
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.is_superuser or role_requires_second_factor(user)


def role_requires_second_factor(user) -> bool:
    """The role predicate's answer (a permission lookup: 2 queries for a non-staff user)."""
    role = getattr(settings, "DIGITAIX_SECOND_FACTOR_ROLE", "")
    return bool(role) and import_string(role)(user)


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def totp_device_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` (any earlier unconfirmed one goes)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Application", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user, device_id: int, token: str) -> list[str] | None:
    """Confirm the authenticator being set up when `token` is right, and issue new recovery
    codes (returned once, never shown again); None when the code is wrong."""
    device = TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()
    if device is None or not device.verify_token(_clean(token)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def second_factor_check(*, user, token: str):
    """The device (authenticator or recovery codes) that accepts `token`, or None.

    A recovery code works once. Each device throttles its own failures (django-otp)."""
    token = _clean(token)
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):
            accepted = verify_token(user, device.persistent_id, token)
            if accepted is not None:
                return accepted
    return None


def _clean(token: str) -> str:
    return "".join((token or "").split()).lower()
