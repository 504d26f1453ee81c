"""E-mail verification: a signed link proves an account's owner reads its mailbox.

Merchants' shops reach the town's queue only once a merchant's address is proven; residents
get the same link and may order meanwhile. Signing up with an address that has an account
already answers like a new sign-up and e-mails that address's owner instead, so the form
never tells whether an address is registered. Every e-mail is written in the outbox
(messaging) in the caller's transaction, and at most DIGITAIX_RATE_LIMITS
["verification_email"] of them reach one mailbox.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts import throttles
from accounts.models import EmailVerification
from messaging.emails import absolute_url
from messaging.registry import kind_register
from messaging.services import message_add

User = get_user_model()

EMAIL_VERIFY = "email_verify"
ACCOUNT_EXISTS = "account_exists"
SALT = "accounts.email-verification"


def email_is_verified(user) -> bool:
    return EmailVerification.objects.filter(user=user, email__iexact=user.email).exists()


def verified_user_ids() -> QuerySet:
    """Ids of the accounts whose current address is proven (a subquery for other apps)."""
    return EmailVerification.objects.filter(email__iexact=F("user__email")).values("user_id")


def verification_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT, compress=True)


def verification_message_add(*, user) -> bool:
    """Send `user` the link proving their address (unless their mailbox had its share)."""
    return _add(kind=EMAIL_VERIFY, user=user)


def account_exists_message_add(*, user) -> bool:
    """Someone signed up with `user`'s address: tell its owner (sign in or reset)."""
    return _add(kind=ACCOUNT_EXISTS, user=user)


def _add(*, kind: str, user) -> bool:
    if not throttles.verification_email_allowed(email=user.email):
        return False
    key = f"{kind}:{user.pk}:{uuid.uuid4().hex}"
    return message_add(kind=kind, key=key, object_id=user.pk, recipients=[user.email]) is not None


@transaction.atomic
def email_verify(*, token: str):
    """The account whose address `token` proves, now marked verified; None when the link is
    forged, expired (DIGITAIX_EMAIL_VERIFICATION_DAYS) or for an address since changed."""
    max_age = settings.DIGITAIX_EMAIL_VERIFICATION_DAYS * 86400
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email.lower() != data.get("e"):
        return None
    EmailVerification.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified_at": timezone.now()}
    )
    return user


def emails_mark_verified(*, user_ids) -> int:
    """Take the current addresses of `user_ids` as proven (the demo town's accounts)."""
    done = set(
        EmailVerification.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    rows = [
        EmailVerification(user_id=pk, email=email)
        for pk, email in User.objects.filter(pk__in=user_ids).values_list("pk", "email")
        if pk not in done
    ]
    EmailVerification.objects.bulk_create(rows)
    return len(rows)


# Rendering, when the e-mail leaves (messaging) -----------------------------------------------


def _verify_context(message) -> dict | None:
    user = User.objects.filter(pk=message.object_id).first()
    if user is None or email_is_verified(user):
        return None  # moot: nothing left to prove
    path = reverse("accounts:verify-email", kwargs={"token": verification_token(user)})
    return {"user": user, "verify_url": absolute_url(path), "site_name": settings.OSCAR_SHOP_NAME}


def _exists_context(message) -> dict | None:
    user = User.objects.filter(pk=message.object_id).first()
    if user is None:
        return None
    return {
        "user": user,
        "login_url": absolute_url(reverse("customer:login")),
        "reset_url": absolute_url(reverse("password-reset")),
        "site_name": settings.OSCAR_SHOP_NAME,
    }


def kinds_register() -> None:
    kind_register(EMAIL_VERIFY, template="email_verify", context=_verify_context)
    kind_register(ACCOUNT_EXISTS, template="account_exists", context=_exists_context)
