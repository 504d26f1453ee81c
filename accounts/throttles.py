"""The rate limits of the public forms that write accounts or send mail (accounts.ratelimit).

Each returns True when the request may go on; over a limit the caller answers HTTP 429
(accounts.responses.too_many_requests) and writes and sends nothing. The limits are named in
settings.DIGITAIX_RATE_LIMITS.
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.clientip import client_ip
from accounts.ratelimit import hit_all, rate

SIGNUP_REFUSED = _("Trop d'inscriptions depuis votre adresse : réessayez plus tard.")
INVITATION_REFUSED = _(
    "Trop d'invitations envoyées pour cette boutique ou à cette adresse : réessayez plus tard."
)
PASSWORD_RESET_REFUSED = _("Trop de demandes de réinitialisation : réessayez dans une heure.")


def _mailbox(email: str) -> str:
    return (email or "").strip().lower()


def signup_allowed(request: HttpRequest) -> bool:
    """One more account created from this address (residents' and merchants' sign-ups)."""
    return hit_all([("signup-ip", client_ip(request), rate("signup_ip"))])


def password_reset_allowed(request: HttpRequest, *, email: str) -> bool:
    """One more reset asked from this address and for this mailbox (at most 3 an hour)."""
    return hit_all(
        [
            ("password-reset-ip", client_ip(request), rate("password_reset_ip")),
            ("password-reset-email", _mailbox(email), rate("password_reset_email")),
        ]
    )


def verification_email_allowed(*, email: str) -> bool:
    """One more verification or "already registered" e-mail to this mailbox."""
    return hit_all([("verification-email", _mailbox(email), rate("verification_email"))])


def stock_alert_allowed(request: HttpRequest, *, email: str) -> bool:
    """One more stock alert confirmation mailed to an address typed by a visitor."""
    return hit_all(
        [
            ("stock-alert-ip", client_ip(request), rate("password_reset_ip")),
            ("stock-alert-email", _mailbox(email), rate("password_reset_email")),
        ]
    )


def invitation_allowed(*, shop_id: int, email: str) -> bool:
    """One more team invitation mailed by this shop (per day) and to this mailbox (per hour)."""
    return hit_all(
        [
            ("invitation-shop", str(shop_id), rate("invitation_shop")),
            ("invitation-email", _mailbox(email), rate("verification_email")),
        ]
    )


def contact_allowed(request: HttpRequest, *, email: str) -> bool:
    """One more message through the contact form, from this address and this mailbox."""
    return hit_all(
        [
            ("contact-ip", client_ip(request), rate("contact_ip")),
            ("contact-email", _mailbox(email), rate("contact_email")),
        ]
    )
