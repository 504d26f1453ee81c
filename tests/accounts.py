"""Helpers for the staff's second factor in tests."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice

# What the town's staff post to approve a shop whatever it lacks: the ticked "Je confirme
# malgré : …" box and every gap it may name (shops.moderation_selectors.APPROVAL_GAPS).
APPROVE_DESPITE_GAPS = {"confirm": "on", "gaps_seen": "products hours services"}


def second_factor_pass(client, user) -> None:
    """Mark `client`'s session as verified by a second factor for `user` (signed in already),
    as if they had typed a code: a confirmed device named "tests" is added if needed."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="tests", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def totp_now(device) -> str:
    """The code `device`'s authenticator app shows now (six digits)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def verification_path(messages) -> str:
    """The path of the e-mail verification link found in `messages` (mail.outbox)."""
    import re

    from django.conf import settings

    for message in messages:
        found = re.search(r"(\S+/comptes/verifier/[^/\s]+/)", message.body)
        if found:
            return found.group(1).removeprefix(settings.DIGITAIX_SITE_URL)
    raise AssertionError("No verification link in these e-mails")


def signed_in(*, email: str, password: str):
    """The account these credentials open through the login's backends (axes first, which
    wants a request), or None."""
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    return authenticate(RequestFactory().post("/"), email=email, password=password)
